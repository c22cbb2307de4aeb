package dev.eff.stdlib.optim;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Type;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The learning-rate schedule every optimizer shares: linear warmup over {@code warmup} steps from
 * {@code lr/warmup} to {@code lr}, then {@code constant}, {@code linear} or {@code cosine} decay to
 * {@code minLr·lr} at the last step. The parameters that configure it, and gradient clipping, are declared
 * here once so that all optimizers accept them alike.
 */
public final class Schedules {
    private Schedules() {}

    public static final String LR = "lr", WARMUP = "warmup", SCHEDULE = "schedule", MIN_LR = "minLr", CLIP = "clip";

    /** The shared parameters, {@code lr} first so that {@code adam(3e-4)} binds it. */
    public static List<Param> params(Param lr, List<Param> own) {
        List<Param> out = new ArrayList<>();
        out.add(lr);
        out.addAll(own);
        out.add(Param.of(WARMUP, Type.atLeast(0), 0L, "Linear warmup: steps over which the rate rises from lr/warmup to lr."));
        out.add(Param.choice(SCHEDULE, "Decay of the rate after warmup, down to minLr·lr at the last step.",
                "constant", "cosine", "linear"));
        out.add(Param.of(MIN_LR, Type.unit(), 0.0, "Final rate as a fraction of lr for cosine and linear decay."));
        out.add(Param.of(CLIP, new Type.Real(0, Double.POSITIVE_INFINITY, false), 0.0,
                "Clip gradients to this global L2 norm before the update; 0 turns clipping off."));
        return out;
    }

    /** The schedule for a run of {@code totalSteps} optimizer steps, from an optimizer call's bound arguments. */
    public static ISchedule learningRate(Args args, long totalSteps) {
        return new WarmupDecay(args.real(LR), args.integer(WARMUP), Decay.valueOf(args.symbol(SCHEDULE).toUpperCase(
                java.util.Locale.ROOT)), args.real(MIN_LR), totalSteps);
    }

    public static double clip(Args args) { return args.real(CLIP); }

    public enum Decay { CONSTANT, LINEAR, COSINE }

    /** Immutable, hence its own clone; {@code valueAt} depends on the 0-based iteration only. */
    public record WarmupDecay(double lr, long warmup, Decay decay, double minRatio, long totalSteps) implements ISchedule {

        @Override
        public double valueAt(int iteration, int epoch) {
            if (iteration < warmup) return lr * (iteration + 1) / warmup;
            if (decay == Decay.CONSTANT) return lr;
            double span = Math.max(1, totalSteps - warmup);
            double p = Math.min(1, Math.max(0, (iteration - warmup) / span));
            double shape = decay == Decay.LINEAR ? 1 - p : 0.5 * (1 + Math.cos(Math.PI * p));
            return lr * (minRatio + (1 - minRatio) * shape);
        }

        @Override
        public ISchedule clone() { return this; }
    }
}
