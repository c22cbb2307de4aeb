package dev.eff.stdlib.optim;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Optimizer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * AdamW (Loshchilov and Hutter 2019): the Adam step plus decoupled weight decay
 * {@code θ ← θ − η_t·λ·θ}, applied after the Adam update and outside the gradient (not an L2 term, which Adam
 * would rescale). Decay applies to weight matrices and embeddings (rank ≥ 2), not to biases or norm gains.
 */
@AutoService(Component.class)
public final class AdamW implements Optimizer {

    static final Signature SIGNATURE = new Signature(Kind.OPTIMIZER, "adamw", null,
            "Adam with decoupled weight decay (AdamW); decay applies to weight matrices, not biases or norm gains.",
            Schedules.params(Adam.lr(), ownParams()));

    private static List<Param> ownParams() {
        List<Param> out = new ArrayList<>();
        out.add(Param.of("weightDecay", new Type.Real(0, Double.POSITIVE_INFINITY, false), 0.01,
                "Decoupled decay λ: each step shrinks weights by η_t·λ·θ."));
        out.addAll(Adam.moments());
        return out;
    }

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public IUpdater updater(Args args, ISchedule learningRate) { return Adam.build(args, learningRate); }

    @Override
    public double weightDecay(Args args) { return args.real("weightDecay"); }
}
