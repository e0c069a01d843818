// Parses generated Windows scripts with a real PowerShell grammar (tree-sitter-powershell through
// web-tree-sitter) and checks that each holds only the statements the backend writes: no syntax
// error beyond the grammar's known gap, and no command or parameter that a string ending early
// would let loose.
//
// usage: node parse.cjs [--ansi] SCRIPT.ps1...
// --ansi decodes the bytes after any byte-order mark as Windows-1252, as Windows PowerShell 5.1
// reads a script without one. Either way U+2018-U+201B read as ' and U+201C-U+201E as ", as
// PowerShell's tokenizer takes them (the grammar knows only the ASCII quotes).
'use strict';
const fs = require('fs');
const { Parser, Language } = require('web-tree-sitter');

const COMMANDS = new Set(['New-NetFirewallRule', 'Remove-NetFirewallRule', 'Get-NetFirewallRule',
  'Set-NetFirewallProfile', 'Open-NetGPO', 'Save-NetGPO', 'Out-Null']);
const PARAMETERS = new Set(['-Name', '-DisplayName', '-Description', '-Group', '-Direction', '-Action', '-Profile',
  '-Protocol', '-IcmpType', '-LocalPort', '-RemotePort', '-LocalAddress', '-RemoteAddress', '-ErrorAction',
  '-Enabled', '-DefaultInboundAction', '-DefaultOutboundAction', '-PolicyStore', '-GPOSession']);

// Windows-1252's 0x80-0x9F (undefined bytes stay C1 code points, as .NET decodes them).
const CP1252_HIGH = [0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
  0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161,
  0x203A, 0x0153, 0x9D, 0x017E, 0x0178];

function decode(bytes, ansi) {
  const bom = bytes.length >= 3 && bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF;
  const body = bom ? bytes.subarray(3) : bytes;
  if (!ansi)
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  let out = '';
  for (const b of body)
    out += String.fromCodePoint(b >= 0x80 && b <= 0x9F ? CP1252_HIGH[b - 0x80] : b);
  return out;
}

function asPowerShellTokenizes(text) {
  return text.replace(/[\u2018-\u201B]/g, "'").replace(/[\u201C-\u201E]/g, '"');
}

// The grammar does not take bare comma lists (`-Profile Domain,Private,Public`, `-LocalPort
// 135,50000-50999`, `-LocalAddress 10.1.0.10,fd00::10`): it reports a MISSING separator inside
// one. That shape is accepted only when the whole word around the gap is such a list of
// letters, digits, '.', '/', ':' and '-' (no quote, parenthesis or '$' that could start anything).
function benignMissing(node, text) {
  if (!node.isMissing || node.type !== ' ' || node.parent?.type !== 'command_argument_sep')
    return false;
  let start = node.startIndex, end = node.startIndex;
  while (start > 0 && !/\s/.test(text[start - 1]))
    --start;
  while (end < text.length && !/\s/.test(text[end]))
    ++end;
  return /^[A-Za-z0-9./:-]+(,[A-Za-z0-9./:-]+)+$/.test(text.slice(start, end));
}

function check(tree, text, report) {
  const walk = (node) => {
    if (node.type === 'ERROR')
      report(`syntax error at ${node.startPosition.row + 1}:${node.startPosition.column + 1}: ` +
             JSON.stringify(node.text.slice(0, 60)));
    else if (node.isMissing && !benignMissing(node, text))
      report(`missing ${node.type} at ${node.startPosition.row + 1}:${node.startPosition.column + 1}`);
    if (node.type === 'command_name' && !COMMANDS.has(node.text))
      report(`unexpected command ${JSON.stringify(node.text)} at line ${node.startPosition.row + 1}`);
    if (node.type === 'command_parameter' && !PARAMETERS.has(node.text))
      report(`unexpected parameter ${JSON.stringify(node.text)} at line ${node.startPosition.row + 1}`);
    for (let i = 0; i < node.childCount; ++i)
      walk(node.child(i));
  };
  walk(tree.rootNode);
}

(async () => {
  const args = process.argv.slice(2);
  const ansi = args[0] === '--ansi';
  const files = ansi ? args.slice(1) : args;
  await Parser.init();
  const parser = new Parser();
  parser.setLanguage(await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm')));
  let failed = 0;
  for (const file of files) {
    const problems = [];
    let text;
    try {
      text = asPowerShellTokenizes(decode(fs.readFileSync(file), ansi));
    } catch (e) {
      problems.push(`cannot decode: ${e.message}`);
    }
    if (text !== undefined)
      check(parser.parse(text), text, (p) => problems.push(p));
    for (const p of problems.slice(0, 5))
      console.log(`${file}: ${p}`);
    if (problems.length)
      ++failed;
  }
  console.log(`powershell-parse${ansi ? ' (Windows-1252)' : ''}: ${files.length - failed} of ${files.length} scripts parse clean`);
  process.exit(failed ? 1 : 0);
})();
