// Parses hand-written PowerShell scripts (tools/export-configmgr.ps1) with the real grammar
// (tree-sitter-powershell through web-tree-sitter) and fails on any ERROR or MISSING node.
// Unlike tests/backends/powershell/parse.cjs, which checks generated scripts against an
// allow-list of cmnet's own commands, nothing is excused here: a script an administrator runs
// should parse clean, so it avoids the shapes the grammar does not take (bare comma lists as
// command arguments) instead of relying on an exception for them.
//
// usage: node powershell_parse_export.cjs SCRIPT.ps1...
'use strict';
const fs = require('fs');
const { Parser, Language } = require('web-tree-sitter');

function problems(tree) {
  const found = [];
  const at = (node) => `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
  const walk = (node) => {
    if (node.type === 'ERROR')
      found.push(`syntax error at ${at(node)}: ${JSON.stringify(node.text.slice(0, 60))}`);
    else if (node.isMissing)
      found.push(`missing ${JSON.stringify(node.type)} at ${at(node)}`);
    for (let i = 0; i < node.childCount; ++i)
      walk(node.child(i));
  };
  walk(tree.rootNode);
  return found;
}

(async () => {
  const files = process.argv.slice(2);
  await Parser.init();
  const parser = new Parser();
  parser.setLanguage(await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm')));
  let failed = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const found = problems(parser.parse(text));
    for (const p of found)
      console.log(`${file}: ${p}`);
    if (found.length)
      ++failed;
  }
  console.log(`powershell-parse (hand-written): ${files.length - failed} of ${files.length} scripts parse clean`);
  process.exit(failed ? 1 : 0);
})();
