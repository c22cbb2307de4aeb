package dev.eff.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eff.dsl.diag.Diagnostic;
import dev.eff.dsl.testing.TestCatalog;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden scripts: every {@code .eff} file under {@code golden/} states the diagnostics it must produce in
 * comments, {@code // error 3:14: message} (or {@code warning}), optionally followed by
 * {@code //   hint: text}; a diagnostic in an imported file is written {@code // error other.eff:2:5: message}.
 * {@code // with name=value} passes a command-line override. The run fails on any missing or extra
 * diagnostic, and a file that expects no error must check cleanly.
 */
class GoldenTest {
    private static final Pattern EXPECT = Pattern.compile("^\\s*//\\s*(error|warning|note)\\s+(?:(--set \\w+|[^\\s:]+):)?(\\d+):(\\d+):\\s(.*)$");
    private static final Pattern HINT = Pattern.compile("^\\s*//\\s+hint:\\s(.*)$");
    private static final Pattern WITH = Pattern.compile("^\\s*//\\s*with\\s+(\\w+)=(.*)$");

    @TestFactory
    Stream<DynamicTest> golden() throws IOException, URISyntaxException {
        Path dir = Path.of(GoldenTest.class.getResource("/golden").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".eff") && !p.getFileName().toString().startsWith("_")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
    }

    private record Expected(String line, String hint) {}

    /** Orders "error f.eff:3:14: ..." by file, line and column, so a file may list its expectations in any order. */
    private static final java.util.Comparator<String> BY_POSITION = java.util.Comparator
            .comparing((String s) -> s.split(" ", 2)[1].split(":")[0])
            .thenComparingInt(s -> Integer.parseInt(s.split(" ", 2)[1].split(":")[1]))
            .thenComparingInt(s -> Integer.parseInt(s.split(" ", 2)[1].split(":")[2]))
            .thenComparing(s -> s);

    private static void run(Path file) throws IOException {
        List<Expected> expected = new ArrayList<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = EXPECT.matcher(line);
            Matcher h = HINT.matcher(line);
            Matcher w = WITH.matcher(line);
            if (m.matches()) {
                String where = (m.group(2) == null ? file.getFileName().toString() : m.group(2)) + ":" + m.group(3) + ":" + m.group(4);
                expected.add(new Expected(m.group(1) + " " + where + ": " + m.group(5), null));
            } else if (h.matches() && !expected.isEmpty()) {
                Expected last = expected.remove(expected.size() - 1);
                expected.add(new Expected(last.line(), h.group(1)));
            } else if (w.matches()) {
                overrides.put(w.group(1), w.group(2));
            }
        }
        Frontend.Result r = Frontend.check(file, TestCatalog.INSTANCE, overrides);
        expected.sort(java.util.Comparator.comparing(Expected::line, BY_POSITION));
        List<Diagnostic> diags = new ArrayList<>(r.diagnostics().all());
        diags.sort(java.util.Comparator.comparing(GoldenTest::describe, BY_POSITION));
        List<String> actual = diags.stream().map(GoldenTest::describe).toList();
        List<String> want = expected.stream().map(Expected::line).toList();
        if (!want.equals(actual)) {
            fail("diagnostics differ for " + file.getFileName() + "\nexpected:\n  " + String.join("\n  ", want)
                    + "\nactual:\n  " + String.join("\n  ", actual) + "\nrendered:\n" + r.diagnostics().render());
        }
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i).hint() != null) assertEquals(expected.get(i).hint(), diags.get(i).hint(), want.get(i));
        }
        assertEquals(r.diagnostics().hasErrors(), r.program() == null, "a program exactly when there is no error");
    }

    private static String describe(Diagnostic d) {
        String name = Path.of(d.span().source().name()).getFileName().toString();
        return d.severity().label() + " " + name + ":" + d.span().line() + ":" + d.span().column() + ": " + d.message();
    }
}
