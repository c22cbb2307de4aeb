package dev.eff.dsl.resolve;

import dev.eff.dsl.ast.Expr;
import dev.eff.dsl.ast.Program;
import dev.eff.dsl.ast.Stmt;
import dev.eff.dsl.check.Value;
import dev.eff.dsl.diag.Spelling;
import dev.eff.dsl.parse.ParseResult;
import dev.eff.dsl.parse.Parser;
import dev.eff.dsl.source.Source;
import dev.eff.dsl.source.Span;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gathers a script and its imports into one set of top-level declarations. Imports are read relative to
 * the importing file; each file is read once however often it is imported, and a cycle is reported at
 * the import that closes it. Top-level constants are folded in order (a constant may use earlier ones),
 * command-line overrides replace constants by name, and every top-level name is defined once. In interactive mode
 * (the REPL) a script is a sequence of entries, and a later definition of a name replaces the earlier one.
 */
public final class Resolver {

    /** Reads an imported file; the message of the exception is shown to the user. The source is renamed to the path as the user wrote it. */
    public interface Loader {
        Source load(Path path) throws IOException;
    }

    /** A file that exists but is no script (binary, too large, a device); the message completes "it is ...". */
    public static final class NotAScript extends IOException {
        private final String hint;

        public NotAScript(String message, String hint) {
            super(message);
            this.hint = hint;
        }

        public String hint() { return hint; }
    }

    public record Constant(String name, Span span, Value value) {}

    /** A hook and its code: the text inside the triple quotes, or the whole file a plain string names. */
    public record HookCode(Stmt.Hook stmt, Span code) {}

    /**
     * The declarations of a script and its imports; {@code jobs} are the main file's train/evaluate
     * statements. {@code importsParsed} is false when an imported file had syntax errors, so that the
     * checker does not pile "unknown name" errors onto declarations the parser had to drop.
     */
    public record Resolved(Map<String, Constant> constants, Map<String, Stmt.DataDecl> data,
                           Map<String, Stmt.ModelDecl> models, Map<String, HookCode> hooks, List<Stmt> jobs,
                           boolean importsParsed) {
        public Scope scope() {
            Map<String, Value> values = new LinkedHashMap<>();
            constants.forEach((k, c) -> values.put(k, c.value()));
            return Scope.of(values);
        }
    }

    private final Loader loader;
    private final Reporter report;
    private final Folder folder;
    private final Map<String, Expr> overrides;
    private final Set<String> overrideNames;
    private final Set<String> overridesUsed = new HashSet<>();
    private final Map<String, Constant> predeclared;
    private final Map<String, Constant> constants = new LinkedHashMap<>();
    private final Map<String, Stmt.DataDecl> data = new LinkedHashMap<>();
    private final Map<String, Stmt.ModelDecl> models = new LinkedHashMap<>();
    private final Map<String, HookCode> hooks = new LinkedHashMap<>();
    private final Map<String, Span> defined = new LinkedHashMap<>();
    private final List<Stmt> jobs = new ArrayList<>();
    private final Set<String> letNames = new java.util.LinkedHashSet<>();
    /** Every 'let' of the files read so far, so that a use before the definition is told from a bare word. */
    private final Map<String, Stmt.Let> lets = new LinkedHashMap<>();
    private final Set<Path> done = new HashSet<>();
    private final List<Path> stack = new ArrayList<>();
    private boolean importsParsed = true;
    private boolean interactive;

    private Resolver(Loader loader, Reporter report, Map<String, Expr> overrides, Set<String> overrideNames,
                     Map<String, Constant> predeclared) {
        this.predeclared = predeclared;
        this.overrideNames = overrideNames;
        this.loader = loader;
        this.report = report;
        this.folder = new Folder(report);
        this.overrides = overrides;
    }

    /**
     * @param file      the main file's path, or null for text that has no file (imports are then relative
     *                  to the working directory)
     * @param overrides parsed values of command-line overrides, by constant name
     * @param overrideSpans where each override was written, for "no such constant"
     */
    public static Resolved resolve(Program main, Path file, Loader loader, Map<String, Expr> overrides,
                                   Map<String, Span> overrideSpans, Reporter report) {
        return resolve(main, file, loader, overrides, overrideSpans, Map.of(), report);
    }

    /**
     * As {@link #resolve(Program, Path, Loader, Map, Map, Reporter)}, with constants defined before the script (values a
     * host application passes in): the script uses them like its own {@code let}s, and a {@code let} of the same name
     * takes the host's value, as an override would.
     */
    public static Resolved resolve(Program main, Path file, Loader loader, Map<String, Expr> overrides,
                                   Map<String, Span> overrideSpans, Map<String, Constant> predeclared, Reporter report) {
        Resolver r = new Resolver(loader, report, overrides, overrideSpans.keySet(), predeclared);
        predeclared.forEach((name, c) -> {
            r.defined.put(name, c.span());
            r.constants.put(name, c);
        });
        Path key = file == null ? null : file.toAbsolutePath().normalize();
        if (key != null) {
            r.done.add(key);
            r.stack.add(key);
        }
        r.file(main, key == null ? Path.of("").toAbsolutePath() : key.getParent(), true);
        for (Map.Entry<String, Span> o : overrideSpans.entrySet()) {
            if (!r.overridesUsed.contains(o.getKey())) {
                report.error(o.getValue(), "no constant '" + o.getKey() + "' to override"
                                + Spelling.didYouMean(o.getKey(), r.letNames),
                        r.letNames.isEmpty() ? "the script defines no top-level 'let' constants"
                                : "the script's constants are " + Spelling.list(r.letNames));
            }
        }
        return new Resolved(r.constants, r.data, r.models, r.hooks, r.jobs, r.importsParsed);
    }

    /** One entry of an interactive session: its statements, and the folder its imports are read from. */
    public record Entry(Program program, Path dir) {}

    /**
     * Interactive mode: the entries of a session in order, as one script whose every statement is the main file's,
     * except that a later definition of a constant, data or model replaces an earlier one of the same name (of any
     * kind) instead of being an error. A constant redefined may use its earlier value ({@code let d = d * 2}).
     */
    public static Resolved resolveInteractive(List<Entry> entries, Loader loader, Reporter report) {
        Resolver r = new Resolver(loader, report, Map.of(), Set.of(), Map.of());
        r.interactive = true;
        for (Entry e : entries) r.file(e.program(), e.dir(), true);
        return new Resolved(r.constants, r.data, r.models, r.hooks, r.jobs, r.importsParsed);
    }

    private void file(Program program, Path dir, boolean isMain) {
        for (Stmt s : program.statements()) {
            if (s instanceof Stmt.Let l) lets.putIfAbsent(l.name().text(), l);
        }
        for (Stmt s : program.statements()) {
            if (s instanceof Stmt.Import i) importFile(i, dir);
            else if (s instanceof Stmt.Let l) let(l);
            else if (s instanceof Stmt.DataDecl d) {
                if (define(d.name().text(), d.name().span(), false)) data.put(d.name().text(), d);
            } else if (s instanceof Stmt.ModelDecl m) {
                if (define(m.name().text(), m.name().span(), false)) models.put(m.name().text(), m);
            } else if (s instanceof Stmt.Hook h) {
                HookCode code = hookCode(h, dir);
                if (define(h.name().text(), h.name().span(), false) && code != null) hooks.put(h.name().text(), code);
            } else if (isMain) {
                jobs.add(s);
            } else {
                report.error(s.span(), "an imported file cannot train or evaluate",
                        "move this statement into the script that imports " + Path.of(s.span().source().name()).getFileName());
            }
        }
    }

    /**
     * Inline code is the text between the triple quotes, so its lines and columns are the script's; a plain string
     * names a file of code, read relative to the declaring file's folder.
     */
    private HookCode hookCode(Stmt.Hook h, Path dir) {
        Span token = h.code().span();
        if (token.text().startsWith("\"\"\"")) return new HookCode(h, new Span(token.source(), token.start() + 3, token.end() - 3));
        String path = h.code().value();
        String hint = "a plain string names the hook's source file, relative to this file's folder; write code inline in "
                + "triple quotes: " + h.language().text() + " \"\"\" ... \"\"\"";
        try {
            Path target = dir.resolve(path).toAbsolutePath().normalize();
            String display = Path.of(token.source().name()).resolveSibling(path).normalize().toString();
            Source source = new Source(display, loader.load(target).text());
            return new HookCode(h, new Span(source, 0, source.text().length()));
        } catch (NotAScript e) {
            report.error(token, "cannot read hook '" + h.name().text() + "' from '" + path + "': it is " + e.getMessage(), hint);
        } catch (IOException | RuntimeException e) {
            report.error(token, "cannot read hook '" + h.name().text() + "' from '" + path + "': " + reason(e), hint);
        }
        return null;
    }

    private void importFile(Stmt.Import i, Path dir) {
        Path target;
        try {
            target = dir.resolve(i.path()).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            report.error(i.pathSpan(), "'" + i.path() + "' is not a valid path", null);
            return;
        }
        int at = stack.indexOf(target);
        if (at >= 0) {
            List<String> chain = new ArrayList<>();
            for (Path p : stack.subList(at, stack.size())) chain.add(p.getFileName().toString());
            chain.add(target.getFileName().toString());
            report.error(i.pathSpan(), "import cycle: " + String.join(" → ", chain),
                    "files cannot import each other; move the shared declarations into a third file");
            return;
        }
        if (!done.add(target)) return;
        Source source;
        try {
            String display = Path.of(i.span().source().name()).resolveSibling(i.path()).normalize().toString();
            source = new Source(display, loader.load(target).text());
        } catch (NotAScript e) {
            report.error(i.pathSpan(), "cannot import '" + i.path() + "': it is " + e.getMessage(), e.hint());
            return;
        } catch (IOException | RuntimeException e) {
            report.error(i.pathSpan(), "cannot read imported file '" + i.path() + "': " + reason(e),
                    "imports are relative to the importing file's folder, here " + dir);
            return;
        }
        ParseResult parsed = Parser.parse(source);
        parsed.diagnostics().all().forEach(report::add);
        if (!parsed.ok()) importsParsed = false;
        stack.add(target);
        file(parsed.program(), target.getParent(), false);
        stack.remove(stack.size() - 1);
    }

    static String reason(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) return fs.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void let(Stmt.Let l) {
        String name = l.name().text();
        if (predeclared.containsKey(name) && !letNames.contains(name)) {
            letNames.add(name);
            return;
        }
        if (!define(name, l.name().span(), true)) return;
        letNames.add(name);
        Expr written = l.value();
        Expr override = overrides.get(name);
        if (overrideNames.contains(name)) overridesUsed.add(name);
        Scope scope = scopeSoFar();
        if (written instanceof Expr.Call c) {
            report.error(c.span(), "a top-level 'let' must be a constant, not a call to '" + c.name().text() + "'",
                    "write the call where it is used, e.g. optimizer = " + c.span().text());
            return;
        }
        if (!definedAbove(l, written)) return;
        Value value = folder.fold(written, scope);
        if (value == null) return;
        // A rejected override is reported once; the script's own value stands in, so uses of the constant raise no
        // follow-on errors.
        Value replaced = override == null ? null : folder.fold(override, scope);
        if (replaced != null && !sameKind(value, replaced)) {
            report.error(override.span(), "override of '" + name + "' must be " + article(value.typeName())
                    + " like the script's value " + value.render() + ", got "
                    + (replaced instanceof Value.Symbol w ? "the word '" + w.name() + "'" : replaced.typeName() + " " + replaced.render()),
                    value instanceof Value.Str && replaced instanceof Value.Symbol
                            ? "to give a string, quote it: --set '" + name + "=\"" + override.span().text() + "\"'" : null);
        } else if (replaced != null) {
            value = value instanceof Value.Float && replaced instanceof Value.Int i ? new Value.Float(i.value()) : replaced;
        }
        constants.put(name, new Constant(name, l.span(), value));
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    /**
     * A constant may use only constants defined above it. A word naming a later 'let' (or this one) is an
     * error here rather than a bare word, which would surface, if at all, far from the mistake. A word
     * naming an earlier 'let' that had errors stops silently: that error is already reported.
     */
    private boolean definedAbove(Stmt.Let l, Expr e) {
        if (e instanceof Expr.Name n && n.path().size() == 1) {
            String word = n.dotted();
            if (constants.containsKey(word)) return true;
            Stmt.Let other = lets.get(word);
            if (other == null) return true;
            if (other == l) {
                report.error(n.span(), "constant '" + word + "' is defined in terms of itself", "give it a value");
                return false;
            }
            if (letNames.contains(word)) return false;
            boolean cycle = mentions(other.value(), l.name().text());
            report.error(n.span(), "'" + word + "' is used before its definition at " + where(other.name().span(), n.span()),
                    cycle ? "'" + l.name().text() + "' and '" + word + "' are defined in terms of each other; give one of them a value"
                            : "a constant can only use constants defined above it; move 'let " + word + "' up");
            return false;
        }
        boolean ok = true;
        for (Expr part : parts(e)) ok &= definedAbove(l, part);
        return ok;
    }

    private static boolean mentions(Expr e, String word) {
        if (e instanceof Expr.Name n) return n.path().size() == 1 && n.dotted().equals(word);
        return parts(e).stream().anyMatch(p -> mentions(p, word));
    }

    private static List<Expr> parts(Expr e) {
        if (e instanceof Expr.Binary b) return List.of(b.left(), b.right());
        if (e instanceof Expr.Neg n) return List.of(n.operand());
        if (e instanceof Expr.ListLit l) return l.items();
        return List.of();
    }

    private static boolean sameKind(Value original, Value replacement) {
        if (original instanceof Value.Float) return replacement instanceof Value.Float || replacement instanceof Value.Int;
        return original.getClass() == replacement.getClass();
    }

    private Scope scopeSoFar() {
        Map<String, Value> values = new LinkedHashMap<>();
        constants.forEach((k, c) -> values.put(k, c.value()));
        return Scope.of(values);
    }

    /** {@code 3:5} in the same file, {@code other.eff:3:5} in another. */
    public static String where(Span first, Span here) {
        String at = first.line() + ":" + first.column();
        if (first.source() == here.source()) return at;
        return Path.of(first.source().name()).getFileName() + ":" + at;
    }

    private boolean define(String name, Span span, boolean constant) {
        if (interactive) {
            defined.put(name, span);
            data.remove(name);
            models.remove(name);
            if (!constant) {
                constants.remove(name);
                letNames.remove(name);
                lets.remove(name);
            }
            return true;
        }
        Span first = defined.putIfAbsent(name, span);
        if (first == null) return true;
        report.error(span, "'" + name + "' is already defined at " + where(first, span),
                "every top-level name (constant, data, model, hook) is defined once; rename one of them");
        return false;
    }
}
