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
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Stochastic gradient descent; with momentum μ > 0 it is Nesterov momentum (ND4J's momentum form, Sutskever
 * et al. 2013): {@code v ← μ·v − η·∇, θ ← θ − μ·v_prev + (1+μ)·v}; with μ = 0, {@code θ ← θ − η·∇}.
 */
@AutoService(Component.class)
public final class Sgd implements Optimizer {

    static final Signature SIGNATURE = new Signature(Kind.OPTIMIZER, "sgd", null,
            "Stochastic gradient descent with Nesterov momentum (plain SGD when momentum = 0).",
            Schedules.params(Param.required(Schedules.LR, Type.positiveReal(), "Learning rate η."),
                    List.of(Param.of("momentum", Adam.DECAY, 0.9,
                            "Nesterov momentum μ; 0 gives plain SGD."))));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public IUpdater updater(Args args, ISchedule learningRate) {
        double momentum = args.real("momentum");
        if (momentum == 0) return new org.nd4j.linalg.learning.config.Sgd(learningRate);
        return Nesterovs.builder().learningRateSchedule(learningRate).momentum(momentum).build();
    }

    /** The momentum buffer, when there is momentum. */
    @Override
    public int stateSlots(Args args) { return args.real("momentum") == 0 ? 0 : 1; }
}
