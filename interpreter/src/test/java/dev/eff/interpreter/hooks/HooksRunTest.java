package dev.eff.interpreter.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.source.Source;
import dev.eff.interpreter.cli.EffCli;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.run.MachineMemory;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.run.RunReport;
import dev.eff.interpreter.run.Runner;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.stdlib.Registry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hooks in a whole run: refused unless the runner allows them, naming the hook and the flag; a metric hook written
 * as accuracy reports the built-in accuracy; callbacks see each step and can end training early.
 */
class HooksRunTest {
    static final String SCRIPT = """
            data recall = associativeRecall(vocab = 8, pairs = 2, examples = 96, seed = 1)
            model m { embed(vocab = 8, dim = 16, position = learned); pool(mean); dense(16, activation = relu); logits(8) }

            hook focal = groovy \"""
                { logits, labels ->
                    def logp = logSoftmax(logits)
                    -(labels * (1 - exp(logp)) ** 2 * logp).sum(-1).mean()
                }
            \"""
            hook hits: metric = groovy \"""
                { logits, labels -> (labels * logits.eq(logits.max(true, -1)).castTo(labels.dataType())).sum(-1).mean() }
            \"""
            hook %s
            train m on recall { optimizer = adam(lr = 1e-2); batch = 16; %s; seed = 2; loss = focal + 0.5 * crossEntropy()
                                callbacks = [stopper] }
            evaluate m on recall.test { accuracy; hits }
            """;

    private static final String NEVER = "stopper: callback = groovy \"\"\" { s -> assert s.step >= 1 && s.loss > 0 } \"\"\"";

    private static CheckedProgram program(String stopper, String length) {
        Frontend.Result r = Frontend.check(new Source("hooks.eff", SCRIPT.formatted(stopper, length)), Registry.standard(), Map.of());
        assertTrue(r.ok(), r.diagnostics().render());
        return r.program();
    }

    private static RunReport run(CheckedProgram program, HookPolicy policy, Path dir) throws Exception {
        return new Runner(Registry.standard(), ModelCompiler.standard(), MachineMemory::expectedForRuns).hooks(policy)
                .run(program, new Runner.Options(dir.resolve("hooks.eff"), dir, Map.of(), 0, 0, 0), RunEvents.NONE);
    }

    @Test
    void hooksAreRefusedUnlessAllowed(@TempDir Path dir) {
        RunFailure e = assertThrows(RunFailure.class, () -> run(program(NEVER, "steps = 4"), HookPolicy.REFUSE, dir));
        assertTrue(e.getMessage().contains("loss hook 'focal'"), e.getMessage());
        assertTrue(e.getMessage().contains("hooks.eff:4:6"), e.getMessage());
        assertTrue(e.hint().contains("--allow-hooks"), e.hint());
        assertEquals(14, e.span().line());
    }

    @Test
    void aMetricHookWrittenAsAccuracyReportsTheBuiltInAccuracy(@TempDir Path dir) throws Exception {
        RunReport r = run(program(NEVER, "steps = 12"), HookPolicy.ALLOW, dir);
        JobReport train = r.jobs().get(0), eval = r.jobs().get(1);
        assertEquals(12L, train.steps());
        assertTrue(train.finalLoss() < train.losses()[0], "the focal loss falls: " + java.util.Arrays.toString(train.losses()));
        assertEquals(eval.metrics().get("accuracy"), eval.metrics().get("hits"), 1e-6);
    }

    @Test
    void aCallbackCanStopTrainingEarly(@TempDir Path dir) throws Exception {
        String stopper = "stopper: callback = groovy \"\"\" { s -> if (s.step == 3) s.stop() } \"\"\"";
        assertEquals(3L, run(program(stopper, "steps = 50"), HookPolicy.ALLOW, dir).jobs().get(0).steps());
    }

    @Test
    void aCallbackSeesTheEndOfEachEpoch(@TempDir Path dir) throws Exception {
        long epoch = run(program(NEVER, "epochs = 1"), HookPolicy.ALLOW, dir).jobs().get(0).steps();
        String stopper = "stopper: callback = groovy \"\"\" { s -> assert s.epoch == (s.step - 1).intdiv(" + epoch
                + ") + 1; if (s.endOfEpoch && s.epoch == 2) s.stop() } \"\"\"";
        assertEquals(2 * epoch, run(program(stopper, "epochs = 5"), HookPolicy.ALLOW, dir).jobs().get(0).steps());
    }

    @Test
    void aFailingCallbackIsReportedAtItsLine(@TempDir Path dir) {
        String stopper = "stopper: callback = groovy \"\"\" { s -> assert s.loss < 0 } \"\"\"";
        var e = assertThrows(dev.eff.interpreter.compile.CompileException.class,
                () -> run(program(stopper, "steps = 5"), HookPolicy.ALLOW, dir));
        assertEquals(13, e.span().line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("callback hook 'stopper' failed: assert s.loss < 0"), e.getMessage());
    }

    @Test
    void theCommandLineRunsHooksOnlyWithAllowHooks(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("hooks.eff");
        Files.writeString(script, SCRIPT.formatted(NEVER, "steps = 2"));
        var refused = eff("run", script.toString());
        assertEquals(EffCli.FAILED, refused.code());
        assertTrue(refused.err().contains("hooks run only when allowed"), refused.err());
        assertTrue(refused.err().contains("run it with --allow-hooks"), refused.err());
        assertFalse(refused.out().contains("step 1/2"), refused.out());
        var allowed = eff("run", script.toString(), "--allow-hooks");
        assertEquals(EffCli.OK, allowed.code(), allowed.err());
        assertTrue(allowed.out().contains("hits"), allowed.out());
        assertFalse(allowed.err().contains("\tat "), allowed.err());
    }

    private record Outcome(int code, String out, String err) {}

    private static Outcome eff(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = EffCli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
