package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.testing.LayerHarness;
import dev.eff.stdlib.testing.Plain;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

class DropoutTest {

    private static final Shape IN = Shape.batch(DType.FLOAT, 50, 40);

    @Test
    void isExactlyTheIdentityAtInference() {
        INDArray x = Plain.random(1, 4, 50, 40);
        var out = LayerHarness.of(new Dropout(), "rate", 0.5).input(IN).run(DataType.DOUBLE, x, Map.of(), false).output();
        Plain.assertClose(Plain.flat(x), out, 0);
    }

    @Test
    void whileTrainingZeroesAboutRateAndScalesTheRest() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Plain.random(2, 4, 50, 40).add(2); // all in [1, 3): a kept value is never 0
        double rate = 0.3;
        double[] in = Plain.flat(x), out = Plain.flat(LayerHarness.of(new Dropout(), "rate", rate).input(IN)
                .run(DataType.DOUBLE, x, Map.of(), true).output());
        int dropped = 0;
        for (int i = 0; i < in.length; i++) {
            if (out[i] == 0) dropped++;
            else assertEquals(in[i] / (1 - rate), out[i], 1e-12);
        }
        double fraction = (double) dropped / in.length; // 8000 draws: standard error 0.005
        assertEquals(rate, fraction, 0.025);
    }

    @Test
    void masksDifferBetweenSteps() {
        INDArray x = Plain.random(3, 2, 50, 40).add(2);
        var h = LayerHarness.of(new Dropout(), "rate", 0.5).input(IN);
        INDArray a = h.run(DataType.FLOAT, x, Map.of(), true).output();
        assertTrue(!a.equals(h.run(DataType.FLOAT, x, Map.of(), true).output()));
    }

    @Test
    void gradientAtInferenceIsTheIdentity() {
        LayerHarness.of(new Dropout(), "rate", 0.5).input(Shape.batch(DType.FLOAT, 3)).checkGradients(Plain.random(4, 2, 3));
    }

    @Test
    void rejectsRateOne() {
        var e = assertThrows(ShapeException.class, () -> LayerHarness.of(new Dropout(), "rate", 1.0).input(IN).outputShape());
        assertTrue(e.getMessage().contains("below 1"), e.getMessage());
    }

    @Test
    void rateZeroIsFree() throws Exception {
        var h = LayerHarness.of(new Dropout(), "rate", 0.0).input(IN);
        assertEquals(0, h.cost().flops());
        INDArray x = Plain.random(5, 2, 50, 40);
        Plain.assertClose(Plain.flat(x), h.run(DataType.DOUBLE, x, Map.of(), true).output(), 0);
    }

    @Test
    void trainingGradientIsTheSameScaledMask() {
        INDArray x = Plain.random(6, 4, 50, 40).add(2);
        double rate = 0.25;
        var run = LayerHarness.of(new Dropout(), "rate", rate).input(IN).outputAndInputGradient(x, true);
        double[] in = Plain.flat(x), out = Plain.flat(run.output()), grad = Plain.flat(run.inputGradient());
        int dropped = 0;
        for (int i = 0; i < in.length; i++) {
            assertEquals(out[i] / in[i], grad[i], 1e-12);
            if (grad[i] == 0) dropped++;
        }
        assertTrue(dropped > 0 && dropped < in.length, "mask must be neither empty nor full");
    }
}
