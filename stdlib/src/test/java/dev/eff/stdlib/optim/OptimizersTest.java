package dev.eff.stdlib.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

class OptimizersTest {

    /** Defaults filled in as the checker does, then the given overrides. */
    static Args bind(Signature sig, Map<String, Value> given) {
        Map<String, Value> m = new LinkedHashMap<>();
        for (Param p : sig.params()) if (p.defaultValue() != null) m.put(p.name(), p.defaultValue());
        m.putAll(given);
        return new Args(m);
    }

    private static double[] step(IUpdater u, double[] grad, int iteration, INDArray state) {
        GradientUpdater<?> g = u.instantiate(state, iteration == 0);
        INDArray gr = Nd4j.createFromArray(grad).castTo(DataType.DOUBLE);
        g.applyUpdater(gr, iteration, 0);
        return gr.toDoubleVector();
    }

    @Test
    void adamFirstTwoStepsMatchHandComputation() {
        Args a = bind(Adam.SIGNATURE, Map.of("lr", new Value.Float(0.1), "beta1", new Value.Float(0.8),
                "beta2", new Value.Float(0.9), "eps", new Value.Float(1e-3)));
        IUpdater u = new Adam().updater(a, new Schedules.WarmupDecay(0.1, 0, Schedules.Decay.CONSTANT, 0, 10));
        double[] g1 = {0.5, -2.0}, g2 = {-0.25, 1.0};
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, u.stateSize(2));
        double[] up1 = step(u, g1, 0, state);
        double[] up2 = step(u, g2, 1, state);
        for (int i = 0; i < 2; i++) {
            double m = 0.2 * g1[i], v = 0.1 * g1[i] * g1[i];
            assertEquals(0.1 * Math.sqrt(1 - 0.9) / (1 - 0.8) * m / (Math.sqrt(v) + 1e-3), up1[i], 1e-9);
            m = 0.8 * m + 0.2 * g2[i];
            v = 0.9 * v + 0.1 * g2[i] * g2[i];
            double alpha = 0.1 * Math.sqrt(1 - 0.81) / (1 - 0.64);
            assertEquals(alpha * m / (Math.sqrt(v) + 1e-3), up2[i], 1e-9);
        }
    }

    @Test
    void sgdWithoutMomentumIsPlainAndWithMomentumIsNesterov() {
        ISchedule lr = new Schedules.WarmupDecay(0.5, 0, Schedules.Decay.CONSTANT, 0, 10);
        Args plain = bind(Sgd.SIGNATURE, Map.of("lr", new Value.Float(0.5), "momentum", new Value.Float(0.0)));
        IUpdater u = new Sgd().updater(plain, lr);
        assertEquals(-1.0, step(u, new double[] {-2.0}, 0, null)[0], 1e-12);

        Args nesterov = bind(Sgd.SIGNATURE, Map.of("lr", new Value.Float(0.5)));
        IUpdater n = new Sgd().updater(nesterov, lr);
        assertInstanceOf(Nesterovs.class, n);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 1);
        // v1 = -η g1, update1 = -(−μ v0 + (1+μ) v1); v2 = μ v1 − η g2, update2 = μ v1 − (1+μ) v2.
        double mu = 0.9, v1 = -0.5 * 2.0;
        assertEquals(-(1 + mu) * v1, step(n, new double[] {2.0}, 0, state)[0], 1e-12);
        double v2 = mu * v1 - 0.5 * 1.0;
        assertEquals(mu * v1 - (1 + mu) * v2, step(n, new double[] {1.0}, 1, state)[0], 1e-12);
    }

    @Test
    void adamwDeclaresDecoupledDecayAndAdamDoesNot() {
        Optimizer adamw = new AdamW();
        assertEquals(0.01, adamw.weightDecay(bind(AdamW.SIGNATURE, Map.of())), 0);
        assertEquals(0.0, new Adam().weightDecay(bind(Adam.SIGNATURE, Map.of())), 0);
    }

    @Test
    void everyOptimizerTakesLrFirstAndTheSharedScheduleParameters() {
        for (Signature s : new Signature[] {Sgd.SIGNATURE, Adam.SIGNATURE, AdamW.SIGNATURE}) {
            assertEquals("lr", s.params().get(0).name(), s.name());
            for (String p : new String[] {"warmup", "schedule", "minLr", "clip"}) {
                assertEquals(true, s.param(p).isPresent(), s.name() + " lacks " + p);
            }
            for (Param p : s.params()) {
                assertEquals(true, p.type() != null && p.doc() != null, s.name() + "." + p.name() + " lacks a type or doc");
            }
        }
    }
}
