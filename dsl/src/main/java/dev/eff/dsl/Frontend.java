package dev.eff.dsl;

import dev.eff.dsl.ast.Expr;
import dev.eff.dsl.check.Catalog;
import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.Checker;
import dev.eff.dsl.diag.Diagnostic;
import dev.eff.dsl.diag.Diagnostics;
import dev.eff.dsl.parse.ParseResult;
import dev.eff.dsl.parse.Parser;
import dev.eff.dsl.resolve.Reporter;
import dev.eff.dsl.resolve.Resolver;
import dev.eff.dsl.source.Source;
import dev.eff.dsl.source.Span;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one entry point of the front end: text or a file in, a {@link CheckedProgram} or diagnostics out.
 * Parse, resolve (imports, constants, overrides), check. Nothing is thrown for any input: a failure of
 * the front end itself becomes an "internal error" diagnostic rather than a stack trace.
 */
public final class Frontend {
    private Frontend() {}

    /** {@code program} is null exactly when {@code diagnostics} has errors. */
    public record Result(CheckedProgram program, Diagnostics diagnostics) {
        public boolean ok() { return program != null; }
    }

    public static Result check(Path file, Catalog catalog, Map<String, String> overrides) {
        Source source;
        try {
            source = read(file);
        } catch (IOException | RuntimeException e) {
            Diagnostics d = new Diagnostics();
            Source empty = new Source(file.toString(), "");
            if (e instanceof Resolver.NotAScript n) {
                d.add(Diagnostic.error(new Span(empty, 0, 0), "this file is " + n.getMessage(), n.hint()));
            } else {
                d.add(Diagnostic.error(new Span(empty, 0, 0), "cannot read '" + file + "': " + reason(e),
                        Files.isDirectory(file) ? "give the path of a .eff file, not a folder" : null));
            }
            return new Result(null, d);
        }
        return run(source, file, catalog, overrides, Map.of());
    }

    /** Checks text that has no file; imports are read relative to the working directory. */
    public static Result check(Source source, Catalog catalog, Map<String, String> overrides) {
        return run(source, null, catalog, overrides, Map.of());
    }

    /**
     * Checks text on behalf of a host application: imports and data paths resolve as if the text were the file
     * {@code file} (which need not exist; null: the working directory), and {@code predeclared} constants (values the
     * host passes in) are defined before the script, which uses them like its own {@code let}s.
     */
    public static Result check(Source source, Path file, Catalog catalog, Map<String, String> overrides,
                               Map<String, dev.eff.dsl.check.Value> predeclared) {
        Map<String, Resolver.Constant> constants = new LinkedHashMap<>();
        predeclared.forEach((name, value) -> constants.put(name,
                new Resolver.Constant(name, new Span(new Source("binding " + name, name), 0, name.length()), value)));
        return run(source, file, catalog, overrides, constants);
    }

    /** Syntax only, for tools such as formatters and editors. */
    public static ParseResult parse(Source source) {
        try {
            return Parser.parse(source);
        } catch (StackOverflowError e) {
            return new ParseResult(new dev.eff.dsl.ast.Program(source, java.util.List.of()), tooDeep(source));
        }
    }

    /** The largest script, imports included one by one: far beyond any hand-written one, small enough to check in seconds. */
    public static final int MAX_SCRIPT_BYTES = 4 << 20;

    /**
     * Reads a script as UTF-8; bytes that are not UTF-8 become U+FFFD and are then reported as unknown
     * characters. At most {@link #MAX_SCRIPT_BYTES} are read, so a device such as /dev/zero or a huge file
     * is refused rather than filling memory; a binary file is refused rather than parsed.
     */
    public static Source read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_SCRIPT_BYTES + 1);
        }
        if (bytes.length > MAX_SCRIPT_BYTES) throw tooLarge();
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        if (looksBinary(text)) throw notText();
        return new Source(file.toString(), text);
    }

    /** The message completes "this file is" or "it is". */
    private static Resolver.NotAScript tooLarge() {
        return new Resolver.NotAScript("too large for a script (more than " + (MAX_SCRIPT_BYTES >> 20) + " MB)",
                "an Eff script is a short text file; check the path");
    }

    private static Resolver.NotAScript notText() {
        return new Resolver.NotAScript("not a text file: it contains binary data", "an Eff script is UTF-8 text; check the path");
    }

    private static Result run(Source source, Path file, Catalog catalog, Map<String, String> overrides,
                              Map<String, Resolver.Constant> predeclared) {
        Diagnostics diagnostics = new Diagnostics();
        Resolver.NotAScript refused = source.text().length() > MAX_SCRIPT_BYTES ? tooLarge()
                : looksBinary(source.text()) ? notText() : null;
        if (refused != null) {
            Source nameOnly = new Source(source.name(), "");
            diagnostics.add(Diagnostic.error(new Span(nameOnly, 0, 0), "this file is " + refused.getMessage(), refused.hint()));
            return new Result(null, diagnostics);
        }
        try {
            ParseResult parsed = Parser.parse(source);
            diagnostics.addAll(parsed.diagnostics());
            Reporter report = new Reporter(diagnostics);
            Map<String, Expr> values = new LinkedHashMap<>();
            Map<String, Span> spans = new LinkedHashMap<>();
            parseOverrides(overrides, values, spans, report);
            if (!parsed.ok()) return new Result(null, diagnostics);
            if (parsed.program().statements().isEmpty()) {
                report.error(new Span(source, 0, 0), "the script is empty",
                        "a script declares data and models, then trains or evaluates them: data d = ...; model m { ... }; train m on d { steps = 100 }");
                return new Result(null, diagnostics);
            }
            Resolver.Resolved resolved = Resolver.resolve(parsed.program(), file, Frontend::read, values, spans, predeclared, report);
            if (!resolved.importsParsed()) return new Result(null, diagnostics);
            CheckedProgram program = Checker.check(resolved, catalog, report);
            return new Result(diagnostics.hasErrors() ? null : program, diagnostics);
        } catch (StackOverflowError e) {
            Diagnostics d = tooDeep(source);
            return new Result(null, d);
        } catch (RuntimeException e) {
            diagnostics.add(Diagnostic.error(new Span(source, 0, 0), "internal error in the Eff front end: " + e,
                    "this is a bug in Eff, not in the script; please report it with the script"));
            return new Result(null, diagnostics);
        }
    }

    private static void parseOverrides(Map<String, String> overrides, Map<String, Expr> values, Map<String, Span> spans,
                                       Reporter report) {
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            String name = o.getKey(), value = o.getValue();
            // Reported as "--set NAME:1:col" with "name=value" shown, as the user typed it on the command line.
            Source text = new Source("--set " + name, name + "=" + value);
            spans.put(name, new Span(text, 0, name.length()));
            Parser.ExprResult r;
            try {
                r = Parser.parseExpression(text, name.length() + 1);
            } catch (StackOverflowError e) {
                report.error(new Span(text, name.length() + 1, text.text().length()), "the value of --set " + name
                        + " is nested too deeply to read", "give a plain value, e.g. --set " + name + "=128");
                continue;
            }
            if (r.expr() != null) {
                values.put(name, r.expr());
                continue;
            }
            // One error per override: what follows the first syntax error of a one-line value is noise.
            Diagnostic first = r.diagnostics().sorted().get(0);
            boolean unquoted = !value.strip().startsWith("\"");
            report.add(unquoted && first.hint() == null ? first.withHint("to give a string, quote it: --set '" + name + "=\""
                    + value.replace("'", "'\\''") + "\"'") : first);
        }
    }

    /** NUL characters, or many bytes that are not UTF-8, mean a binary file: its "unknown characters" would be noise. */
    private static boolean looksBinary(String text) {
        long bad = text.chars().filter(c -> c == 0 || c == 0xFFFD).count();
        return text.indexOf(0) >= 0 || bad > Math.max(4, text.length() / 20);
    }

    private static Diagnostics tooDeep(Source source) {
        Diagnostics d = new Diagnostics();
        d.add(Diagnostic.error(new Span(source, 0, 0), "the script is nested too deeply to read",
                "brackets or expressions are nested thousands of levels deep"));
        return d;
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) return fs.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
