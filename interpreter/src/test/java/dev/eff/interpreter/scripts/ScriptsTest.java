package dev.eff.interpreter.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eff.dsl.Frontend;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.run.RunReport;
import dev.eff.interpreter.run.MachineMemory;
import dev.eff.interpreter.hooks.HookPolicy;
import dev.eff.interpreter.run.Runner;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The example programs in scripts/: each checks cleanly and runs; the quickstart learns, reproducibly. */
class ScriptsTest {
    static final Path SCRIPTS = Path.of("..", "scripts").toAbsolutePath().normalize();

    static List<Path> scripts() throws IOException {
        try (Stream<Path> s = Files.list(SCRIPTS)) {
            return s.filter(p -> p.toString().endsWith(".eff")).sorted().toList();
        }
    }

    static Frontend.Result check(Path script, Map<String, String> overrides) {
        Frontend.Result r = Frontend.check(script, Registry.standard(), overrides);
        assertTrue(r.diagnostics().all().isEmpty(), () -> script + ":\n" + r.diagnostics().render());
        assertNotNull(r.program());
        return r;
    }

    static RunReport run(Path script, long steps, long evalLimit) throws Exception {
        Frontend.Result r = check(script, Map.of());
        // the memory limit eff run sets, so a script the CLI would refuse fails here too; hooks run when the script
        // says to run it with --allow-hooks, so one that needs them without saying so fails
        HookPolicy hooks = Files.readString(script).contains(HookPolicy.FLAG) ? HookPolicy.ALLOW : HookPolicy.REFUSE;
        return new Runner(Registry.standard(), ModelCompiler.standard(), MachineMemory::expectedForRuns).hooks(hooks)
                .run(r.program(), new Runner.Options(script, script.getParent(), Map.of(), steps, 0, evalLimit), RunEvents.NONE);
    }

    @TestFactory
    Stream<DynamicTest> everyScriptChecksAndRunsAFewSteps() throws IOException {
        List<Path> all = scripts();
        assertFalse(all.isEmpty(), "no scripts in " + SCRIPTS);
        return all.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
            check(script, Map.of());
            assumeTrue(dataPresent(script), "data for " + script.getFileName() + " is not installed");
            RunReport report = run(script, 2, 64);
            for (JobReport job : report.jobs()) {
                if (job.kind().equals("train")) {
                    assertEquals(2, job.losses().length);
                    assertTrue(Arrays.stream(job.losses()).allMatch(Double::isFinite), job.model());
                } else {
                    assertFalse(job.metrics().isEmpty());
                    job.metrics().values().forEach(v -> assertTrue(Double.isFinite(v), job.model()));
                }
            }
        }));
    }

    @Test
    void theQuickstartLearnsInAFewDozenSteps() throws Exception {
        double[] losses = trainLosses(run(SCRIPTS.resolve("quickstart.eff"), 40, 64));
        double first = Arrays.stream(losses, 0, 5).average().orElseThrow();
        double last = Arrays.stream(losses, losses.length - 5, losses.length).average().orElseThrow();
        assertTrue(last < first - 0.4, "loss should fall clearly: first five " + first + ", last five " + last);
    }

    @Test
    void theSameSeedGivesTheSameLosses() throws Exception {
        double[] a = trainLosses(run(SCRIPTS.resolve("quickstart.eff"), 6, 32));
        double[] b = trainLosses(run(SCRIPTS.resolve("quickstart.eff"), 6, 32));
        assertArrayEquals(a, b);
    }

    private static double[] trainLosses(RunReport report) {
        return report.jobs().stream().filter(j -> j.kind().equals("train")).findFirst().orElseThrow().losses();
    }

    /** The Fashion-MNIST and fortunes scripts need Debian packages that CI installs; a developer may lack them. */
    private static boolean dataPresent(Path script) throws IOException {
        String text = Files.readString(script);
        if (text.contains("fashionMnist(")) return Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"));
        if (text.contains("/usr/share/games/fortunes")) return Files.isDirectory(Path.of("/usr/share/games/fortunes"));
        return true;
    }
}
