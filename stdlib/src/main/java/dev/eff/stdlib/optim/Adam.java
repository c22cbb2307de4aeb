package dev.eff.stdlib.optim;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Optimizer;
import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Adam (Kingma and Ba 2015): {@code m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * θ ← θ − η_t·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε)} (ND4J's form: ε is added to the uncorrected √v).
 */
@AutoService(Component.class)
public final class Adam implements Optimizer {

    /** Decay rates below 1 (at 1 the bias correction divides by zero); declared before SIGNATURE, which reads it. */
    static final Type.Real DECAY = new Type.Real(0, 0.9999, false);

    static final Signature SIGNATURE = new Signature(Kind.OPTIMIZER, "adam", null,
            "Adam: per-parameter step sizes from running means of the gradient and of its square.",
            Schedules.params(lr(), moments()));

    static Param lr() {
        return Param.of(Schedules.LR, Type.positiveReal(), 1e-3, "Peak learning rate η.");
    }

    static List<Param> moments() {
        return List.of(
                Param.of("beta1", DECAY, 0.9, "Decay of the running mean of gradients."),
                Param.of("beta2", DECAY, 0.999, "Decay of the running mean of squared gradients."),
                Param.of("eps", Type.positiveReal(), 1e-8, "Added to √v to avoid division by zero."));
    }

    static IUpdater build(Args args, ISchedule learningRate) {
        return org.nd4j.linalg.learning.config.Adam.builder().learningRateSchedule(learningRate)
                .beta1(args.real("beta1")).beta2(args.real("beta2")).epsilon(args.real("eps")).build();
    }

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public IUpdater updater(Args args, ISchedule learningRate) { return build(args, learningRate); }
}
