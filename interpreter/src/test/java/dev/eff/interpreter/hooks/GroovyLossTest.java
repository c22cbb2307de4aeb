package dev.eff.interpreter.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.compile.CompileException;
import dev.eff.interpreter.train.TrainListener;
import dev.eff.interpreter.train.Trainer;
import dev.eff.stdlib.LossFn;
import dev.eff.stdlib.losses.CrossEntropy;
import dev.eff.stdlib.optim.Adam;
import dev.eff.stdlib.testing.LayerHarness;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loss hooks: a hook written as cross-entropy gives the built-in crossEntropy's value and gradient (and training
 * with it takes the same steps); the focal loss matches a plain computation and finite differences of it.
 */
class GroovyLossTest {
    static final String CROSS_ENTROPY = "{ logits, labels -> -(labels * logSoftmax(logits)).sum(-1).mean() }";
    static final String FOCAL = """
            { logits, labels ->
                def logp = logSoftmax(logits)
                def p = exp(logp)
                -(labels * (1 - p) ** 2 * logp).sum(-1).mean()
            }
            """;
    private static final int N = 5, C = 4;

    private final INDArray logits = randomLogits(3);
    private final int[] labels = {0, 3, 1, 1, 2};

    @Test
    void crossEntropyWrittenAsAHookHasTheBuiltInValueAndGradient() {
        LossFn hook = (LossFn) Hooks.declare("ce", Kind.LOSS, CROSS_ENTROPY);
        Args args = new Args(Map.of("labelSmoothing", new Value.Float(0)));
        Result mine = lossAndGradient((sd, z) -> hook.lower(sd, new Args(Map.of()), z, sd.getVariable("y"), C));
        Result builtIn = lossAndGradient((sd, z) -> new CrossEntropy().lower(sd, args, z, sd.getVariable("y"), C));
        assertEquals(builtIn.loss, mine.loss, 1e-12);
        assertArrayEquals(builtIn.gradient, mine.gradient, 1e-12);
    }

    @Test
    void focalLossMatchesAPlainComputationAndItsFiniteDifferences() {
        LossFn hook = (LossFn) Hooks.declare("focal", Kind.LOSS, FOCAL);
        Result r = lossAndGradient((sd, z) -> hook.lower(sd, new Args(Map.of()), z, sd.getVariable("y"), C));
        double[] z = logits.reshape(-1).toDoubleVector();
        assertEquals(focal(z), r.loss, 1e-12);
        double h = 1e-6;
        for (int i = 0; i < z.length; i++) {
            double[] up = z.clone(), down = z.clone();
            up[i] += h;
            down[i] -= h;
            assertEquals((focal(up) - focal(down)) / (2 * h), r.gradient[i], 1e-7, "d loss / d z[" + i + "]");
        }
    }

    @Test
    void trainingWithTheHookTakesTheStepsOfTheBuiltInLoss() throws Exception {
        Value.Call hook = new Value.Call("ce", null, Map.of(), Fixtures.SPAN, Hooks.declare("ce", Kind.LOSS, CROSS_ENTROPY));
        double[] withHook = train(hook), builtIn = train(Fixtures.crossEntropy());
        assertArrayEquals(builtIn, withHook, 1e-5);
        assertTrue(withHook[withHook.length - 1] < withHook[0], "the loss falls");
    }

    @Test
    void aLossThatIsNoScalarIsRefusedWhenTheGraphIsBuilt() {
        LossFn hook = (LossFn) Hooks.declare("perExample", Kind.LOSS, "{ logits, labels -> (labels * logits).sum(-1) }");
        CompileException e = assertThrows(CompileException.class,
                () -> lossAndGradient((sd, z) -> hook.lower(sd, new Args(Map.of()), z, sd.getVariable("y"), C)));
        assertTrue(e.getMessage().contains("must return a scalar"), e.getMessage());
    }

    @Test
    void aFailureInsideTheHookIsReportedAtItsLine() {
        LossFn hook = (LossFn) Hooks.declare("typo", Kind.LOSS, "{ logits, labels ->\n  def p = softmax(logits)\n  p.meen()\n}");
        CompileException e = assertThrows(CompileException.class,
                () -> lossAndGradient((sd, z) -> hook.lower(sd, new Args(Map.of()), z, sd.getVariable("y"), C)));
        assertEquals(3, e.span().line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("loss hook 'typo' failed: No signature of method"), e.getMessage());
    }

    @Test
    void aHookThatGivesNoClosureIsRefused() {
        LossFn hook = (LossFn) Hooks.declare("number", Kind.LOSS, "42");
        CompileException e = assertThrows(CompileException.class,
                () -> lossAndGradient((sd, z) -> hook.lower(sd, new Args(Map.of()), z, sd.getVariable("y"), C)));
        assertEquals("loss hook 'number' must end with a closure { output, labels -> ... }, but it gives a Integer", e.getMessage());
    }

    /** Plain focal loss with γ = 2: the mean over examples of -(1 - p_y)² log p_y, p = softmax of the row. */
    private double focal(double[] z) {
        double total = 0;
        for (int n = 0; n < N; n++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < C; c++) max = Math.max(max, z[n * C + c]);
            for (int c = 0; c < C; c++) sum += Math.exp(z[n * C + c] - max);
            double logp = z[n * C + labels[n]] - max - Math.log(sum), p = Math.exp(logp);
            total += -(1 - p) * (1 - p) * logp;
        }
        return total / N;
    }

    private record Result(double loss, double[] gradient) {}

    private Result lossAndGradient(BiFunction<SameDiff, SDVariable, SDVariable> loss) {
        SameDiff sd = SameDiff.create();
        SDVariable z = sd.var("z", logits.dup());
        sd.placeHolder("y", DataType.INT32, -1);
        SDVariable l = loss.apply(sd, z);
        sd.setLossVariables(l.name());
        Map<String, INDArray> feed = Map.of("y", Nd4j.createFromArray(labels));
        double value = sd.output(feed, l.name()).get(l.name()).getDouble(0);
        INDArray grad = LayerHarness.quietly(() -> sd.calculateGradients(feed, "z")).get("z");
        return new Result(value, grad.reshape(-1).toDoubleVector());
    }

    private static double[] train(Value loss) throws Exception {
        var model = Fixtures.COMPILER.compile(Fixtures.mlp(8), Fixtures.SCHEMA, loss, 5, DataType.FLOAT);
        var r = new Trainer().train(model, Fixtures.blobs(64, 1), Fixtures.plan(new Adam(), Map.of(), 16, 6, 3, null, 0),
                TrainListener.NONE);
        return r.losses();
    }

    private static INDArray randomLogits(long seed) {
        Random r = new Random(seed);
        double[][] z = new double[N][C];
        for (double[] row : z) for (int c = 0; c < C; c++) row[c] = r.nextGaussian() * 2;
        return Nd4j.createFromArray(z);
    }
}
