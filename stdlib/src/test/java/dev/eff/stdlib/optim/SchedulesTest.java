package dev.eff.stdlib.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;

class SchedulesTest {

    private static ISchedule schedule(String kind, long warmup, double minLr, long total) {
        Args a = OptimizersTest.bind(Adam.SIGNATURE, Map.of("lr", new Value.Float(1.0), "warmup", new Value.Int(warmup),
                "schedule", new Value.Symbol(kind), "minLr", new Value.Float(minLr)));
        return Schedules.learningRate(a, total);
    }

    @Test
    void warmupRisesLinearlyToThePeak() {
        ISchedule s = schedule("constant", 4, 0, 100);
        assertEquals(0.25, s.valueAt(0, 0), 1e-12);
        assertEquals(0.5, s.valueAt(1, 0), 1e-12);
        assertEquals(1.0, s.valueAt(3, 0), 1e-12);
        assertEquals(1.0, s.valueAt(4, 0), 1e-12);
        assertEquals(1.0, s.valueAt(99, 0), 1e-12);
    }

    @Test
    void cosineDecaysFromPeakToMinAfterWarmup() {
        ISchedule s = schedule("cosine", 10, 0.1, 110);
        assertEquals(1.0, s.valueAt(10, 0), 1e-12);
        assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.valueAt(35, 0), 1e-12);
        assertEquals(0.55, s.valueAt(60, 0), 1e-12);
        assertEquals(0.1, s.valueAt(110, 0), 1e-12);
        assertEquals(0.1, s.valueAt(500, 0), 1e-12);
    }

    @Test
    void linearDecaysToZeroByDefault() {
        ISchedule s = schedule("linear", 0, 0, 8);
        assertEquals(1.0, s.valueAt(0, 0), 1e-12);
        assertEquals(0.5, s.valueAt(4, 0), 1e-12);
        assertEquals(0.125, s.valueAt(7, 0), 1e-12);
    }

    @Test
    void clipIsReadFromTheCall() {
        Args a = OptimizersTest.bind(Sgd.SIGNATURE, Map.of("lr", new Value.Float(0.1), "clip", new Value.Float(1.5)));
        assertEquals(1.5, Schedules.clip(a), 0);
    }
}
