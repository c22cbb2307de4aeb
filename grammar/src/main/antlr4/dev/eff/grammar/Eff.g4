/*
 * The grammar of .eff scripts.
 *
 * A script is a sequence of top-level statements: imports, constants, data sources, models,
 * train / evaluate statements, and program statements (predict, generate, ...). Newlines are not significant;
 * ';' may end a statement.
 */
grammar Eff;

program      : topStmt* EOF ;

// A lone expression, e.g. the value of a command-line override `-D d=256`.
exprOnly     : expr EOF ;

topStmt      : importStmt
             | letStmt
             | dataStmt
             | modelDecl
             | hookStmt
             | trainStmt
             | evaluateStmt
             | programStmt
             ;

importStmt   : IMPORT STRING SEMI? ;
letStmt      : LET ID ASSIGN expr SEMI? ;
dataStmt     : DATA ID ASSIGN call SEMI? ;

// A hook: code in another language run when graphs are built, e.g. hook focal: loss = groovy """ ... """.
// The kind (loss, metric, callback) defaults to loss; a plain string names a source file instead.
hookStmt     : HOOK ID (COLON ID)? ASSIGN ID STRING SEMI? ;

modelDecl    : MODEL ID (LPAREN (modelParam (COMMA modelParam)* COMMA?)? RPAREN)? block ;
modelParam   : ID ASSIGN expr ;
block        : LBRACE bodyStmt* RBRACE ;

// Inside a model body a "stream" flows from one stage to the next.
bodyStmt     : INPUT ID COLON tensorType SEMI?               # inputDecl
             | LET ID ASSIGN flow SEMI?                      # valueDecl
             | flow SEMI?                                    # flowStmt
             ;
flow         : stage (PIPE stage)* ;
stage        : REPEAT LPAREN expr RPAREN block               # repeatStage
             | RESIDUAL block                                # residualStage
             | call                                          # callStage
             | ID                                            # refStage
             ;
tensorType   : ID LBRACK (expr (COMMA expr)*)? RBRACK ;

trainStmt    : TRAIN modelRef ON dataRef settings ;
evaluateStmt : EVALUATE modelRef ON dataRef settings? ;
// Every other program (predict, generate, ...) is a component of kind program, named by its first word.
programStmt  : ID modelRef (ON dataRef)? settings? ;
modelRef     : ID (LPAREN args? RPAREN)? ;
dataRef      : ID (DOT word)? ;
settings     : LBRACE setting* RBRACE ;
// Settings are separated by newlines, ';' or ','.
setting      : ID ASSIGN expr (SEMI | COMMA)?                # assignSetting
             | expr (SEMI | COMMA)?                          # bareSetting
             ;

call         : ID LPAREN args? RPAREN ;
// Where only a name can stand (a split, a parameter name), keywords are names too: `recall.train`, `input = x`.
word         : ID | IMPORT | LET | DATA | MODEL | HOOK | INPUT | REPEAT | RESIDUAL | TRAIN | EVALUATE | ON ;
args         : arg (COMMA arg)* COMMA? ;
arg          : word ASSIGN expr                              # namedArg
             | expr                                          # positionalArg
             ;

expr         : <assoc=right> expr POW expr                   # powExpr
             | MINUS expr                                    # negExpr
             | expr op=(STAR | SLASH | PERCENT) expr         # mulExpr
             | expr op=(PLUS | MINUS) expr                   # addExpr
             | primary                                       # primaryExpr
             ;
primary      : INT                                           # intLit
             | FLOAT                                         # floatLit
             | STRING                                        # stringLit
             | (TRUE | FALSE)                                # boolLit
             | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK    # listLit
             | call                                          # callExpr
             | ID (DOT ID)*                                  # nameExpr
             | LPAREN expr RPAREN                            # parenExpr
             ;

// ---- lexer ----
IMPORT   : 'import' ;
LET      : 'let' ;
DATA     : 'data' ;
MODEL    : 'model' ;
HOOK     : 'hook' ;
INPUT    : 'input' ;
REPEAT   : 'repeat' ;
RESIDUAL : 'residual' ;
TRAIN    : 'train' ;
EVALUATE : 'evaluate' ;
ON       : 'on' ;
TRUE     : 'true' ;
FALSE    : 'false' ;

PIPE     : '|>' ;
POW      : '**' ;
ASSIGN   : '=' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
LBRACE   : '{' ;
RBRACE   : '}' ;
LBRACK   : '[' ;
RBRACK   : ']' ;
COMMA    : ',' ;
COLON    : ':' ;
SEMI     : ';' ;
DOT      : '.' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;
PERCENT  : '%' ;

FLOAT    : DIGITS '.' DIGITS EXPONENT?
         | DIGITS EXPONENT
         ;
INT      : DIGITS ;
fragment DIGITS   : [0-9] ('_'? [0-9])* ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;

STRING   : '"""' .*? '"""'
         | '"' (~["\\\r\n] | '\\' ~[\r\n])* '"'
         ;
// A string that reaches the end of its line without a closing quote; the parser reports it.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;

ID       : [a-zA-Z_] [a-zA-Z_0-9]* ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF ;
WS       : [ \t\r\n\f]+ -> channel(HIDDEN) ;

// Anything else becomes a token of its own so that the parser, not the lexer, reports it in words.
BAD_CHAR : . ;
