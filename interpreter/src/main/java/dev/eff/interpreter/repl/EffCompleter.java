package dev.eff.interpreter.repl;

import dev.eff.dsl.check.Catalog;
import dev.eff.dsl.check.Checker;
import dev.eff.dsl.check.ComponentSpec;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.grammar.EffLexer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion from the checker's catalog and the session: what may stand where the cursor is. Inside a call's
 * parentheses, its parameters ({@code heads = }) and, first, its variants; after {@code name =}, that parameter's
 * choices or the components of its kind; in a model body, the layers; in a {@code train} block its settings, an
 * {@code evaluate} block the metrics, a program's block its settings; after {@code train}, {@code evaluate} or a
 * program the session's models, after {@code on} its data, after {@code DATA.} its splits; at the start of a
 * statement the keywords and programs; after {@code :} the REPL's commands and their arguments.
 */
final class EffCompleter implements Completer {
    static final List<String> COMMANDS = List.of(":help", ":load", ":summary", ":shape", ":train", ":doc", ":quit");
    private static final List<String> STATEMENTS = List.of("let", "data", "model", "train", "evaluate", "import");
    private static final List<String> BODY = List.of("residual", "repeat", "input", "let");

    private final Catalog catalog;
    private final Supplier<ReplSession.Names> names;
    private final Supplier<Map<String, DataBinding>> data;
    private final Path dir;

    EffCompleter(Catalog catalog, Supplier<ReplSession.Names> names, Supplier<Map<String, DataBinding>> data, Path dir) {
        this.catalog = catalog;
        this.names = names;
        this.data = data;
        this.dir = dir;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        candidates.addAll(candidates(line.line().substring(0, line.cursor()), line.cursor() - line.wordCursor()));
    }

    /** What may stand at {@code wordStart} of {@code text}, the text up to the cursor. */
    List<Candidate> candidates(String text, int wordStart) {
        String head = text.substring(0, wordStart), word = text.substring(wordStart);
        if (head.isBlank() && word.startsWith(":")) return plain(COMMANDS);
        if (head.stripLeading().startsWith(":")) return command(head.strip(), word);
        return code(tokens(head));
    }

    private List<Candidate> command(String head, String word) {
        String command = head.split("\\s+")[0];
        return switch (command) {
            case ":load" -> paths(word);
            case ":summary", ":shape", ":train" -> plain(names.get().models());
            case ":doc" -> plain(allComponentNames());
            default -> List.of();
        };
    }

    /** Files and folders for {@code :load}; the word typed so far is matched by the reader. */
    private List<Candidate> paths(String typed) {
        int slash = typed.lastIndexOf('/');
        String folder = slash < 0 ? "" : typed.substring(0, slash + 1);
        Path where = dir.resolve(folder.isEmpty() ? "." : folder);
        List<Candidate> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(where)) {
            files.sorted().forEach(p -> {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) out.add(new Candidate(folder + name + "/", name + "/", null, null, null, null, false));
                else if (name.endsWith(".eff")) out.add(new Candidate(folder + name, name, null, null, null, null, true));
            });
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return out;
    }

    private List<Candidate> code(List<Token> tokens) {
        Frame frame = innermost(tokens);
        Token prev = last(tokens, 1), before = last(tokens, 2);
        if (prev != null && prev.getType() == EffLexer.ASSIGN && before != null) return valueOf(frame, before.getText(), tokens);
        if (frame == null) return topLevel(prev, before);
        return switch (frame.kind()) {
            case CALL -> call(frame.owner(), !frame.hasComma());
            case BODY -> plain(concat(catalog.names(Kind.LAYER), BODY));
            case TRAIN -> settings(Checker.TRAIN_SETTINGS);
            case EVALUATE -> {
                List<Candidate> out = new ArrayList<>(plain(catalog.names(Kind.METRIC)));
                out.addAll(settings(Checker.EVAL_SETTINGS));
                yield out;
            }
            case PROGRAM -> params(signatures(Kind.PROGRAM, frame.owner()));
            case OTHER -> plain(names.get().constants());
        };
    }

    private List<Candidate> topLevel(Token prev, Token before) {
        if (prev == null) return plain(concat(STATEMENTS, catalog.names(Kind.PROGRAM)));
        int t = prev.getType();
        if (t == EffLexer.TRAIN || t == EffLexer.EVALUATE || t == EffLexer.ID && before == null && isProgram(prev.getText())
                || t == EffLexer.ID && before != null && statementEnd(before) && isProgram(prev.getText())) {
            return plain(names.get().models());
        }
        if (t == EffLexer.ON) return plain(names.get().data());
        if (t == EffLexer.DOT && before != null && data.get().containsKey(before.getText())) {
            return plain(data.get().get(before.getText()).schema().splits());
        }
        if (statementEnd(prev)) return plain(concat(STATEMENTS, catalog.names(Kind.PROGRAM)));
        return List.of();
    }

    private static boolean statementEnd(Token t) {
        return t.getType() == EffLexer.RBRACE || t.getType() == EffLexer.SEMI;
    }

    private boolean isProgram(String word) { return !catalog.lookup(Kind.PROGRAM, word).isEmpty(); }

    /** After {@code key =}: the choices of that parameter or setting, or the components of its kind. */
    private List<Candidate> valueOf(Frame frame, String key, List<Token> tokens) {
        if (frame == null) {
            Token keyword = last(tokens, 3);
            return keyword != null && keyword.getType() == EffLexer.DATA ? plain(catalog.names(Kind.DATA)) : plain(names.get().constants());
        }
        List<String> out = new ArrayList<>();
        switch (frame.kind()) {
            case CALL -> signatures(null, frame.owner()).forEach(s -> s.param(key).ifPresent(p -> out.addAll(choices(p.type()))));
            case PROGRAM -> signatures(Kind.PROGRAM, frame.owner()).forEach(s -> s.param(key).ifPresent(p -> out.addAll(choices(p.type()))));
            case TRAIN -> out.addAll(key.equals("optimizer") ? catalog.names(Kind.OPTIMIZER) : key.equals("loss") ? catalog.names(Kind.LOSS) : List.of());
            default -> { }
        }
        out.addAll(names.get().constants());
        return plain(out);
    }

    private List<String> choices(Type type) {
        if (type instanceof Type.Choice c) return c.options();
        if (type instanceof Type.Component c) return List.copyOf(catalog.names(c.kind()));
        if (type instanceof Type.Bool) return List.of("true", "false");
        return List.of();
    }

    /** Inside {@code name(...)}: its parameters, and its variants where the first argument goes. */
    private List<Candidate> call(String name, boolean first) {
        List<Signature> signatures = signatures(null, name);
        List<Candidate> out = new ArrayList<>();
        if (first) {
            for (Signature s : signatures) {
                if (s.variant() != null) out.add(new Candidate(s.variant(), s.variant(), "variants", s.title(), null, null, false));
            }
        }
        out.addAll(params(signatures));
        return out;
    }

    private List<Candidate> params(List<Signature> signatures) {
        Map<String, Param> params = new LinkedHashMap<>();
        for (Signature s : signatures) for (Param p : s.params()) params.putIfAbsent(p.name(), p);
        List<Candidate> out = new ArrayList<>();
        params.values().forEach(p -> out.add(new Candidate(p.name() + " = ", p.name(), "parameters", p.type().describe(), null, null, false)));
        return out;
    }

    private static List<Candidate> settings(List<String> keys) {
        return keys.stream().map(k -> new Candidate(k + " = ", k, "settings", null, null, null, false)).toList();
    }

    /** The signatures of every component called {@code name} ({@code kind} null: of any kind). */
    private List<Signature> signatures(Kind kind, String name) {
        List<Signature> out = new ArrayList<>();
        for (Kind k : kind == null ? Kind.values() : new Kind[] {kind}) {
            for (ComponentSpec c : catalog.lookup(k, name)) out.add(c.signature());
        }
        return out;
    }

    private Set<String> allComponentNames() {
        Set<String> out = new java.util.TreeSet<>();
        for (Kind k : Kind.values()) out.addAll(catalog.names(k));
        return out;
    }

    private enum Place { CALL, BODY, TRAIN, EVALUATE, PROGRAM, OTHER }

    /** The bracket the cursor is in: what kind of place it opens, the name that owns it, whether an argument came before. */
    private record Frame(Place kind, String owner, boolean hasComma) {}

    /** The innermost open bracket of {@code tokens}, or null at the top level. */
    private Frame innermost(List<Token> tokens) {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            int t = tokens.get(i).getType();
            if (t == EffLexer.LPAREN || t == EffLexer.LBRACE || t == EffLexer.LBRACK) open.add(i);
            else if ((t == EffLexer.RPAREN || t == EffLexer.RBRACE || t == EffLexer.RBRACK) && !open.isEmpty()) open.remove(open.size() - 1);
        }
        if (open.isEmpty()) return null;
        int at = open.get(open.size() - 1);
        Token bracket = tokens.get(at);
        boolean comma = tokens.subList(at + 1, tokens.size()).stream().anyMatch(t -> t.getType() == EffLexer.COMMA);
        Token owner = at > 0 ? tokens.get(at - 1) : null;
        if (bracket.getType() == EffLexer.LPAREN) {
            return owner != null && owner.getType() == EffLexer.ID ? new Frame(Place.CALL, owner.getText(), comma) : new Frame(Place.OTHER, null, comma);
        }
        if (bracket.getType() == EffLexer.LBRACK) return new Frame(Place.OTHER, null, comma);
        return block(tokens, at);
    }

    /** What the brace at {@code at} opens: found by walking back over its statement to the keyword that starts it. */
    private Frame block(List<Token> tokens, int at) {
        int depth = 0;
        String first = null;
        for (int i = at - 1; i >= 0; i--) {
            int t = tokens.get(i).getType();
            if (t == EffLexer.RPAREN || t == EffLexer.RBRACK) depth++;
            else if (t == EffLexer.LPAREN || t == EffLexer.LBRACK) depth--;
            if (depth > 0) continue;
            switch (t) {
                case EffLexer.MODEL, EffLexer.RESIDUAL, EffLexer.REPEAT -> { return new Frame(Place.BODY, null, false); }
                case EffLexer.TRAIN -> { return new Frame(Place.TRAIN, null, false); }
                case EffLexer.EVALUATE -> { return new Frame(Place.EVALUATE, null, false); }
                case EffLexer.LBRACE, EffLexer.RBRACE, EffLexer.SEMI -> i = -1;
                case EffLexer.ID -> first = tokens.get(i).getText();
                default -> { }
            }
            if (i < 0) break;
        }
        return first != null && isProgram(first) ? new Frame(Place.PROGRAM, first, false) : new Frame(Place.OTHER, null, false);
    }

    private static Token last(List<Token> tokens, int n) {
        return tokens.size() >= n ? tokens.get(tokens.size() - n) : null;
    }

    /** Eff's tokens of {@code text}, without whitespace and comments. */
    private static List<Token> tokens(String text) {
        EffLexer lexer = new EffLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<Token> out = new ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getChannel() == Token.DEFAULT_CHANNEL) out.add(t);
        }
        return out;
    }

    private static List<String> concat(Collection<String> a, Collection<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<Candidate> plain(Collection<String> words) {
        return words.stream().sorted().distinct().map(w -> new Candidate(w, w, null, null, null, null, false)).toList();
    }
}
