// The .cmnet language: catalogs of Configuration Manager connections and user hierarchies.
// docs/language.md describes it for users; frontend/ModelBuilder turns parse trees into the IR.
// frontend/Lexer scans the token rules below for the parser; a change here must be made there too
// (LexerTest and the fuzz target compare the two lexers).
grammar Cmnet;

file : topDecl* EOF ;

topDecl
  : importDecl
  | catalogDecl
  | paramDecl
  | roleDecl
  | linkDecl
  | ruleDecl
  | hierarchyDecl
  ;

importDecl  : 'import' (dottedName | STRING) ';' ;
catalogDecl : 'catalog' dottedName STRING? ';' ;
dottedName  : name ('.' name)* ;

paramDecl : 'param' name ':' typeName ('=' expr)? FIXED? ';' ;
typeName  : 'port' | 'ports' | 'bool' | 'int' | 'address' | 'string' ;

roleDecl  : 'role' name STRING? roleKind? (roleBody | ';') ;
roleKind  : 'client' | 'external' | 'host' ;
roleBody  : '{' paramDecl* '}' ;

linkDecl  : 'link' linkEnd arrow linkEnd 'scope' scopeKind ('section' STRING)? ('when' expr)? '{' entry* '}' ;
linkEnd   : name ('as' STRING)? ;
arrow     : '->' | '<->' ;
scopeKind : 'site' | 'parent' | 'adjacent' | 'hierarchy' | 'top' | 'external' ;

entry     : protocol portList? STRING? entryAttr* ';' ;
protocol  : 'tcp' ('+' 'udp')? | 'udp' | 'icmp' ('type' INT)? ;
portList  : portItem (',' portItem)* ;
portItem  : INT | RANGE | 'dynamic' | paramRef ;
entryAttr
  : 'alternate'                    # alternateAttr
  | 'note' noteId (',' noteId)*    # noteAttr
  | 'tag' name                    # tagAttr
  | 'when' expr                    # whenAttr
  | 'proxy'                        # proxyAttr
  | 'advisory' STRING              # advisoryAttr
  | 'since' name                  # sinceAttr
  | 'forward'                     # forwardAttr
  ;
noteId : INT | name ;

ruleDecl   : 'rule' STRING 'on' (name | '*') ('when' expr)? '{' ruleAction* '}' ;
ruleAction
  : 'require' name 'alongside' name ';'   # requireAction
  | 'oneway' 'from' name ';'               # onewayAction
  | 'warn' STRING ';'                       # warnAction
  | 'error' STRING ';'                      # errorAction
  ;

hierarchyDecl : 'hierarchy' name '{' hierarchyItem* '}' ;
hierarchyItem
  : assignment
  | siteDecl
  | externalDecl
  | policyStmt
  | firewallDecl
  ;
siteDecl   : 'site' name siteKind ('parent' name)? '{' siteItem* '}' ;
siteKind   : 'central' | 'primary' | 'secondary' ;
siteItem
  : hostDecl
  | clientsDecl
  | assignment
  | externalDecl
  | policyStmt
  ;
hostDecl     : 'host' name addressList ':' hostRole (',' hostRole)* ';'? ;
hostRole     : name ('{' assignment* '}')? ;
clientsDecl  : 'clients' addressList ('{' assignment* '}' ';'? | ';') ;
externalDecl : 'external' name addressList ';' ;
assignment   : paramRef '=' expr ';' ;
policyStmt   : action=('allow' | 'deny') endpoint '->' endpoint service? STRING? ';' ;
endpoint     : '*' | name | address ;
service      : protocol portList? | name ;
firewallDecl : 'firewall' name '{' zoneDecl* '}' ;
zoneDecl     : 'zone' name '=' addressList ';' ;

addressList : address (',' address)* ;
address     : ADDRESS | 'any' ;

paramRef : name ('.' name)? ;

// Soft keywords: words with a meaning in one place that stay usable as names elsewhere
// (the catalog's `client` role, a `proxy` parameter, a host called `top`).
name
  : IDENT
  | 'client' | 'host' | 'external' | 'site' | 'parent' | 'adjacent' | 'top' | 'hierarchy' | 'proxy'
  | 'type' | 'note' | 'tag' | 'since' | 'from' | 'zone' | 'section' | 'scope' | 'port'
  | 'ports' | 'bool' | 'int' | 'address' | 'string' | 'central' | 'primary' | 'secondary'
  | 'alternate' | 'advisory' | 'forward' | 'firewall' | 'catalog' | 'oneway' | 'warn' | 'error'
  ;

expr
  : '(' expr ')'                                  # parenExpr
  | op=('!' | '-') expr                           # unaryExpr
  | expr op=('+' | '-') expr                      # addExpr
  | expr op=('<' | '<=' | '>' | '>=') expr        # relExpr
  | expr op=('==' | '!=') expr                    # eqExpr
  | expr '&&' expr                                # andExpr
  | expr '||' expr                                # orExpr
  | <assoc=right> expr '?' expr ':' expr          # condExpr
  | INT                                           # intExpr
  | RANGE                                         # rangeExpr
  | ('true' | 'false')                            # boolExpr
  | STRING                                        # stringExpr
  | address                                       # addressExpr
  | paramRef                                      # refExpr
  ;

FIXED : 'fixed' ;

// A port range is one token so that `49152-65535` never reads as a subtraction.
RANGE   : DIGIT+ '-' DIGIT+ ;
// Addresses are lexed loosely and validated by the frontend, which gives better errors.
ADDRESS
  : DIGIT+ ('.' DIGIT+)+ ('/' DIGIT+)?
  | HEX* ':' HEX* ':' [0-9a-fA-F:.]* ('/' DIGIT+)?
  ;
INT     : DIGIT+ ;
IDENT   : [A-Za-z_] [A-Za-z0-9_]* ;
STRING  : '"' ( '\\' . | ~["\\\r\n] )* '"' ;

LINE_COMMENT : ('//' | '#') ~[\r\n]* -> channel(HIDDEN) ;
WS           : [ \t\r\n]+ -> channel(HIDDEN) ;
// Anything else becomes a token the parser rejects with a located error.
ERROR_CHAR   : . ;

fragment DIGIT : [0-9] ;
fragment HEX   : [0-9a-fA-F] ;
