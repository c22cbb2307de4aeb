package dev.eff.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eff.dsl.check.Kind;
import dev.eff.dsl.diag.Diagnostic;
import dev.eff.dsl.source.Source;
import dev.eff.dsl.source.Span;
import dev.eff.dsl.testing.TestCatalog;
import dev.eff.grammar.EffLexer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * Fuzzes the front end with grammar-aware inputs: every script in {@code scripts/} and every {@code .eff}
 * test resource, mutated token by token (deleted, repeated, swapped, replaced by keywords, punctuation,
 * extreme numbers, long or odd words, spliced with other scripts), and scripts generated from the grammar.
 * Properties: nothing is thrown out of {@link Frontend}, every input is checked within {@link #TIME_BOUND_S}
 * seconds, every diagnostic lies inside its file and renders on clean lines, none is an internal error, and
 * a program comes back exactly when there is no error.
 * <p>The seed is fixed; the number of inputs is {@code jqwik.tries.default} (src/test/resources/
 * junit-platform.properties), raised for a long run as docs/fuzzing.md describes.
 */
class FrontendFuzzTest {
    /** Far above the slowest legitimate input (a few hundred ms), so only a hang trips it. */
    static final long TIME_BOUND_S = Long.getLong("eff.fuzz.timeBound", 20);

    private static final List<String> CORPUS = corpus();
    /** The corpus cut into tokens once: mutations work on copies of these lists. */
    private static final List<List<String>> TOKENS = CORPUS.stream().map(FrontendFuzzTest::tokens).toList();
    private static final ExecutorService CHECKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, "fuzz-check", 0);
        t.setDaemon(true);
        return t;
    });

    private static final java.util.concurrent.atomic.AtomicLong INPUTS = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong SLOWEST_NS = new java.util.concurrent.atomic.AtomicLong();

    @AfterContainer
    static void stop() {
        CHECKER.shutdownNow();
        // One line, so that a long run reports how much it tried (docs/fuzzing.md).
        System.out.printf("front-end fuzz: %,d inputs checked, slowest %d ms%n", INPUTS.get(), SLOWEST_NS.get() / 1_000_000);
    }

    @Property(seed = "20261130", shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void frontEndIsTotalFastAndWellPlaced(@ForAll("scripts") String text) {
        Source source = new Source("fuzz.eff", text);
        Future<Frontend.Result> run = CHECKER.submit(() -> {
            long start = System.nanoTime();
            Frontend.Result result = Frontend.check(source, TestCatalog.INSTANCE, Map.of());
            SLOWEST_NS.accumulateAndGet(System.nanoTime() - start, Math::max);
            if (INPUTS.incrementAndGet() % 10_000 == 0) System.out.printf("front-end fuzz: %,d inputs so far%n", INPUTS.get());
            return result;
        });
        Frontend.Result r;
        try {
            r = run.get(TIME_BOUND_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            fail("the front end took more than " + TIME_BOUND_S + " s");
            return;
        } catch (ExecutionException e) {
            throw new AssertionError("the front end threw " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        String rendered = r.diagnostics().render();
        for (Diagnostic d : r.diagnostics().all()) {
            Span s = d.span();
            int length = s.source().text().length();
            assertTrue(0 <= s.start() && s.start() <= s.end() && s.end() <= length,
                    () -> "span " + s.start() + ".." + s.end() + " outside a text of " + length + ": " + d.headline());
            assertTrue(s.line() >= 1 && s.column() >= 1
                    && s.column() <= s.source().lineText(s.line()).length() + 2, () -> "bad position: " + d.headline());
            assertFalse(d.message().contains("internal error"), rendered);
        }
        assertFalse(rendered.contains("\r"), "a raw carriage return in the output");
        assertEquals(r.diagnostics().hasErrors(), r.program() == null, rendered);
    }

    @Provide
    Arbitrary<String> scripts() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, mutated()),
                net.jqwik.api.Tuple.of(3, Grammar.program()),
                net.jqwik.api.Tuple.of(1, spliced()));
    }

    // ---- mutation of the corpus, token by token ----

    /** One edit: what to do, where (scaled to the token count) and with what (an index into a pool). */
    record Mutation(int kind, int at, int with) {}

    private static Arbitrary<String> mutated() {
        Arbitrary<Mutation> m = Combinators.combine(Arbitraries.integers().between(0, 11),
                Arbitraries.integers().between(0, 1_000_000), Arbitraries.integers().between(0, 1_000_000)).as(Mutation::new);
        return Combinators.combine(Arbitraries.of(TOKENS), m.list().ofMinSize(1).ofMaxSize(6)).as(FrontendFuzzTest::mutate);
    }

    private static Arbitrary<String> spliced() {
        return Combinators.combine(Arbitraries.of(TOKENS), Arbitraries.of(TOKENS), Arbitraries.integers().between(0, 1_000_000),
                Arbitraries.integers().between(0, 1_000_000)).as((x, y, i, j) -> {
                    int cut = i % (x.size() + 1), from = j % (y.size() + 1);
                    return String.join("", x.subList(0, cut)) + String.join("", y.subList(from, y.size()));
                });
    }

    /** Odd things to put where a token was: keywords, punctuation, extreme numbers and words, bad characters. */
    private static final List<String> POOL = List.of(
            "model", "data", "train", "evaluate", "import", "let", "input", "repeat", "residual", "on", "true", "false",
            "(", ")", "{", "}", "[", "]", ",", ";", ":", ".", "=", "|>", "+", "-", "*", "/", "%", "**",
            "0", "1", "-1", "2", "3.5", "1e308", "1e-320", "9223372036854775807", "9223372036854775808", "2 ** 62", "2 ** 63 - 1",
            "0.0", "1_000", "\"\"", "\"images.csv\"", "\"/dev/zero\"", "\"pom.xml\"", "\".\"", "\"\\u0000\"", "\"a\nb\"",
            "x".repeat(5000), "9".repeat(400), "é", "\uD83D\uDE00", "\u0000", "\uFFFD", "\r", "\r\n", "\t", "\n\n", "//", "/*", "*/",
            "#", "'", "|", "@", "\u202E", "\uFEFF",
            "dense(4)", "embed(vocab = 10, dim = 8)", "repeat(3) { dense(8) }", "residual { norm() }", "attention(heads = 3)",
            "flatten()", "stack(sizes = [1, 2, 3])", "crossAttend(memory = h)", "toy(vocab = 10, length = 4)", "pairs()",
            "crossEntropy()", "mse()", "accuracy", "adam(lr = 1e-3)", "adamw(decay = step(every = 2))", "steps = 1",
            "batch = 0", "epochs = 2", "test", "valid", "train");

    private static String mutate(List<String> tokens, List<Mutation> mutations) {
        List<String> t = new ArrayList<>(tokens);
        for (Mutation m : mutations) {
            int n = t.size();
            int at = n == 0 ? 0 : m.at() % n;
            String pooled = POOL.get(m.with() % POOL.size());
            switch (m.kind()) {
                case 0, 1 -> { if (n > 0) t.remove(at); }
                case 2 -> { if (n > 0) t.add(at, t.get(m.with() % n)); }
                case 3 -> { if (n > 1) t.add(at, t.remove((at + 1) % n)); }
                case 4, 5 -> { if (n > 0) t.set(at, pooled); else t.add(pooled); }
                case 6 -> t.add(at, pooled);
                case 7 -> { if (n > 0) t.set(at, oddNumber(t.get(at), m.with())); }
                case 8 -> { // repeat a run of tokens: nested and duplicated structure
                    int len = Math.min(n - at, 1 + m.with() % 40);
                    if (len > 0) t.addAll(at, new ArrayList<>(t.subList(at, at + len)));
                }
                case 9 -> { if (n > 0) t.subList(at, Math.min(n, at + 1 + m.with() % 30)).clear(); }
                case 10 -> { // a run of one token, e.g. 300 '(' or '-'
                    String run = List.of("(", "[", "{", "-", "f(", "repeat(2) {", "residual {").get(m.with() % 7);
                    t.add(at, run.repeat(1 + m.with() % 400));
                }
                default -> { if (n > 0) t.set(at, CORPUS_WORDS.get(m.with() % CORPUS_WORDS.size())); }
            }
        }
        return String.join("", t);
    }

    private static String oddNumber(String token, int with) {
        if (token.isEmpty() || !Character.isDigit(token.charAt(0))) return token;
        return List.of("0", "9223372036854775807", "4611686018427387904", "1000000000", "100000", "0.5", "1e400", "65536",
                "3000000000").get(with % 9);
    }

    /** Every token with the hidden ones (spaces, comments), so that joining them gives back the text. */
    static List<String> tokens(String text) {
        EffLexer lexer = new EffLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<String> out = new ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) out.add(t.getText());
        return out;
    }

    private static final List<String> CORPUS_WORDS = List.copyOf(TOKENS.stream()
            .flatMap(List::stream).filter(w -> w.matches("[A-Za-z_][A-Za-z_0-9]*"))
            .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));

    /** The example scripts and every test script, read once. */
    private static List<String> corpus() {
        List<Path> roots = List.of(Path.of("../scripts"), Path.of("src/test/resources"));
        List<String> out = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.filter(p -> p.toString().endsWith(".eff")).sorted().toList()) {
                    byte[] bytes = Files.readAllBytes(p);
                    if (bytes.length < 200_000) out.add(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (out.size() < 20) throw new IllegalStateException("fuzz corpus not found from " + Path.of("").toAbsolutePath());
        return List.copyOf(out);
    }

    // ---- scripts generated from the grammar ----

    /** Random programs built rule by rule, with names drawn from the test catalog and a few declared ones. */
    static final class Grammar {
        private static final List<String> LAYERS = List.copyOf(TestCatalog.INSTANCE.names(Kind.LAYER));
        private static final List<String> OTHERS = Stream.of(Kind.DATA, Kind.LOSS, Kind.METRIC, Kind.OPTIMIZER, Kind.SCHEDULE)
                .flatMap(k -> TestCatalog.INSTANCE.names(k).stream()).toList();
        private static final List<String> WORDS = List.of("a", "b", "d", "h", "m", "n", "x", "t", "units", "vocab", "dim",
                "heads", "length", "sizes", "memory", "lr", "bias", "position", "learned", "none", "causal", "smoothing");
        private static final List<String> ARGS = List.of("units", "vocab", "dim", "heads", "causal", "bias", "position",
                "length", "examples", "sizes", "memory", "lr", "smoothing", "eps", "every", "decay", "side", "path", "nope");

        /** Built once: jqwik arbitraries are immutable descriptions, and building them per try costs more than checking. */
        private static final Arbitrary<String> PROGRAM = Arbitraries.lazy(Grammar::build);

        static Arbitrary<String> program() { return PROGRAM; }

        private static Arbitrary<String> build() {
            return stmt().list().ofMinSize(0).ofMaxSize(8).map(l -> String.join("\n", l) + "\n");
        }

        private static Arbitrary<String> stmt() {
            Arbitrary<String> name = Arbitraries.of(WORDS);
            return Arbitraries.oneOf(
                    Combinators.combine(name, expr(3)).as((n, e) -> "let " + n + " = " + e),
                    Combinators.combine(name, call(Arbitraries.of(OTHERS), 2)).as((n, c) -> "data " + n + " = " + c),
                    Combinators.combine(name, params(), body(3)).as((n, p, b) -> "model " + n + p + " " + b),
                    Combinators.combine(name, name, settings()).as((m, d, s) -> "train " + m + " on " + d + " " + s),
                    Combinators.combine(name, name, Arbitraries.of("", ".test", ".valid", ".nope"), settings())
                            .as((m, d, split, s) -> "evaluate " + m + " on " + d + split + " " + s),
                    Arbitraries.of("import \"lib/_consts.eff\"", "import \"nope.eff\"", "import \"/dev/zero\"", "import \".\""));
        }

        private static Arbitrary<String> params() {
            return Combinators.combine(Arbitraries.of(WORDS), expr(1)).as((n, e) -> n + " = " + e)
                    .list().ofMaxSize(3).map(l -> l.isEmpty() ? "" : "(" + String.join(", ", l) + ")");
        }

        private static Arbitrary<String> settings() {
            Arbitrary<String> setting = Arbitraries.oneOf(
                    Combinators.combine(Arbitraries.of("steps", "batch", "epochs", "seed", "loss", "optimizer", "checkpoint", "nope"),
                            Arbitraries.oneOf(expr(2), call(Arbitraries.of(OTHERS), 1))).as((k, v) -> k + " = " + v),
                    Arbitraries.of("accuracy", "perplexity", "mse"));
            return setting.list().ofMaxSize(4).map(l -> "{ " + String.join("; ", l) + " }");
        }

        private static Arbitrary<String> body(int depth) {
            Arbitrary<String> a = BODIES.get(depth);
            if (a == null) {
                a = buildBody(depth);
                BODIES.put(depth, a);
            }
            return a;
        }

        private static Arbitrary<String> buildBody(int depth) {
            return bodyStmt(depth).list().ofMaxSize(5).map(l -> "{\n  " + String.join("\n  ", l) + "\n}");
        }

        private static Arbitrary<String> bodyStmt(int depth) {
            Arbitrary<String> type = Combinators.combine(Arbitraries.of("int", "float", "bool"), expr(1).list().ofMaxSize(3))
                    .as((ty, dims) -> ty + "[" + String.join(", ", dims) + "]");
            return Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of(WORDS), type).as((n, ty) -> "input " + n + ": " + ty)),
                    net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of(WORDS), flow(depth)).as((n, f) -> "let " + n + " = " + f)),
                    net.jqwik.api.Tuple.of(4, flow(depth)));
        }

        private static Arbitrary<String> flow(int depth) {
            return stage(depth).list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(" |> ", l));
        }

        private static Arbitrary<String> stage(int depth) {
            Arbitrary<String> call = call(Arbitraries.of(LAYERS), 2);
            if (depth == 0) return Arbitraries.oneOf(call, Arbitraries.of(WORDS));
            return Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(6, call),
                    net.jqwik.api.Tuple.of(1, Arbitraries.of(WORDS)),
                    net.jqwik.api.Tuple.of(1, Combinators.combine(expr(1), body(depth - 1))
                            .as((n, b) -> "repeat(" + n + ") " + b)),
                    net.jqwik.api.Tuple.of(1, body(depth - 1).map(b -> "residual " + b)));
        }

        private static Arbitrary<String> call(Arbitrary<String> names, int depth) {
            Arbitrary<String> arg = Arbitraries.oneOf(expr(depth),
                    Combinators.combine(Arbitraries.of(ARGS), expr(depth)).as((k, v) -> k + " = " + v));
            return Combinators.combine(names, arg.list().ofMaxSize(3)).as((n, a) -> n + "(" + String.join(", ", a) + ")");
        }

        private static final java.util.Map<Integer, Arbitrary<String>> EXPRS = new java.util.concurrent.ConcurrentHashMap<>();
        private static final java.util.Map<Integer, Arbitrary<String>> BODIES = new java.util.concurrent.ConcurrentHashMap<>();

        static Arbitrary<String> expr(int depth) {
            Arbitrary<String> a = EXPRS.get(depth);
            if (a == null) {
                a = buildExpr(depth);
                EXPRS.put(depth, a);
            }
            return a;
        }

        private static Arbitrary<String> buildExpr(int depth) {
            Arbitrary<String> leaf = Arbitraries.oneOf(
                    Arbitraries.longs().map(String::valueOf),
                    Arbitraries.integers().between(0, 64).map(String::valueOf),
                    Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(Math.abs(d)) : "1.5"),
                    Arbitraries.of("true", "false", "\"s\"", "\"images.csv\"", "[]"),
                    Arbitraries.of(WORDS));
            if (depth == 0) return leaf;
            Arbitrary<String> sub = expr(depth - 1);
            return Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(4, leaf),
                    net.jqwik.api.Tuple.of(1, Combinators.combine(sub, Arbitraries.of("+", "-", "*", "/", "%", "**"), sub)
                            .as((a, op, b) -> a + " " + op + " " + b)),
                    net.jqwik.api.Tuple.of(1, sub.map(s -> "-" + s)),
                    net.jqwik.api.Tuple.of(1, sub.map(s -> "(" + s + ")")),
                    net.jqwik.api.Tuple.of(1, sub.list().ofMaxSize(3).map(l -> "[" + String.join(", ", l) + "]")));
        }
    }
}
