package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.SideOutput;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Lowering;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * GShard/GLaM top-k token choice: each token picks its k most probable experts. Each expert holds
 * C = min(S, ⌈k·capacity·S/E⌉) tokens per group of S; the first choices of all tokens are placed before any
 * second choice (in token order within a choice), and an assignment beyond C is dropped: the token then
 * gets nothing from that expert and only the residual carries it. Gates are the router probabilities of the
 * chosen experts, renormalised to sum to 1 over the k choices when k ≥ 2 (GShard, mesh-tensorflow); with
 * k = 1 the raw probability (Switch), so the router still gets a gradient.
 *
 * <p>Auxiliary losses, both on the choices before capacity: {@code aux.balance} = E·Σ_e f_e·P_e per group
 * (mesh-tensorflow), f_e the fraction of tokens whose first choice is e and P_e the mean probability of e,
 * averaged over groups; it is 1 for a perfectly uniform router. {@code aux.zloss} (ST-MoE) = the mean over
 * tokens of (log Σ_e exp z_e)², which keeps the router logits small.
 */
@AutoService(Component.class)
public final class TokenChoiceRouter implements Router {

    private static final Signature SIGNATURE = new Signature(Kind.ROUTER, "tokenChoice", null,
            "Top-k token choice routing (GShard/GLaM): each token goes to its k most probable experts, each expert "
                    + "takes at most ⌈k·capacity·S/E⌉ tokens of a group of S (first choices placed first), overflow is "
                    + "dropped and carried by the residual. Emits aux.balance and aux.zloss.",
            List.of(Param.of("k", Type.positive(), 2, "experts per token"),
                    Param.of("capacity", Type.positiveReal(), 1.25,
                            "training capacity factor: slots per expert as a multiple of the balanced load k·S/E"),
                    Param.of("evalCapacity", Type.positiveReal(), 2.0,
                            "capacity factor of the evaluation and prediction graph")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public int capacity(Args route, long groupSize, long experts, boolean inference) {
        double factor = route.real(inference ? "evalCapacity" : "capacity");
        return slots(route.integer("k"), factor, groupSize, experts);
    }

    /** min(S, ⌈k·factor·S/E⌉), at least 1. */
    static int slots(long k, double factor, long groupSize, long experts) {
        double c = Math.ceil(k * factor * groupSize / experts - 1e-9);
        return (int) Math.max(1, Math.min(groupSize, c));
    }

    @Override public double expertsPerToken(Args route) { return route.integer("k"); }

    @Override
    public void check(Args route, long groupSize, long experts) throws ShapeException {
        long k = route.integer("k");
        if (k > experts) {
            throw new ShapeException("tokenChoice(k = " + k + ") needs at least " + k + " experts, this layer has " + experts,
                    "each token picks k different experts; lower k or raise experts");
        }
    }

    @Override
    public List<SideOutput> sideOutputs() {
        return List.of(SideOutput.aux("balance", "load-balancing loss E·Σ f_e·P_e per group (1 when uniform)"),
                SideOutput.aux("zloss", "router z-loss: mean (log Σ exp logits)²"),
                SideOutput.probe("dropped", "fraction of the token→expert assignments dropped for lack of capacity"));
    }

    @Override
    public Routing route(Lowering ctx, Args route, SDVariable logits, SDVariable probs, long groupSize, long experts,
                         int capacity) {
        SameDiff sd = ctx.sd();
        DataType dt = ctx.dtype();
        int k = Math.toIntExact(route.integer("k")), e = Math.toIntExact(experts);
        // the k choices by repeated argmax, each masking the one before; argmax yields integers, so no gradient
        // flows into the choice itself (M2.1 cannot differentiate topK)
        List<SDVariable> choices = new ArrayList<>();
        SDVariable remaining = probs;
        for (int j = 0; j < k; j++) {
            SDVariable choice = sd.oneHot(sd.argmax(remaining, 2), e, -1, 1.0, 0.0, dt);
            choices.add(choice);
            if (j + 1 < k) remaining = remaining.sub(choice.mul(2.0));
        }
        SDVariable gates = probs;
        if (k > 1) {
            SDVariable chosen = sd.sum(probs.mul(choices.stream().reduce(SDVariable::add).orElseThrow()), true, 2);
            gates = probs.div(chosen.add(1e-9));
        }
        // buffer positions per expert: all first choices, in token order, then the second ones, and so on
        SDVariable dispatch = null, offset = null, kept = null;
        for (SDVariable choice : choices) {
            SDVariable position = sd.cumsum(choice, true, false, 1);
            if (offset != null) position = position.add(offset);
            SDVariable keep = choice.mul(position.lt(capacity).castTo(dt));
            // a kept assignment points at its slot, every other entry at slot C, which oneHot leaves empty
            SDVariable slot = position.mul(keep).add(keep.rsub(1.0).mul(capacity)).castTo(DataType.INT);
            SDVariable slots = sd.oneHot(slot, capacity, -1, 1.0, 0.0, dt);
            dispatch = dispatch == null ? slots : dispatch.add(slots);
            SDVariable count = sd.sum(choice, true, 1);
            offset = offset == null ? count : offset.add(count);
            kept = kept == null ? keep : kept.add(keep);
        }
        ctx.probe("dropped", sd.mean(sd.sum(kept, 2)).div(k).rsub(1.0));
        if (!ctx.inference()) {
            ctx.aux("balance", balance(sd, choices.get(0), probs, experts));
            ctx.aux("zloss", zLoss(sd, logits));
        }
        SDVariable assigned = sd.sum(sd.sum(choices.stream().reduce(SDVariable::add).orElseThrow(), 1), 0);
        return new Routing(dispatch.permute(0, 2, 3, 1), gates, assigned);
    }

    /** E·Σ_e f_e·P_e per group, averaged over groups; f from the first choices (constant), P from the probabilities. */
    static SDVariable balance(SameDiff sd, SDVariable firstChoice, SDVariable probs, long experts) {
        SDVariable f = sd.mean(firstChoice, 1), p = sd.mean(probs, 1);
        return sd.mean(sd.sum(f.mul(p), 1)).mul(experts);
    }

    /** Mean over tokens of (log Σ exp z)², with the max shifted out for stability (M2.1's logSumExp gradient is not). */
    static SDVariable zLoss(SameDiff sd, SDVariable logits) {
        SDVariable max = new org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient(sd, sd.max(logits, true, 2))
                .outputVariable();
        SDVariable lse = sd.math.log(sd.sum(sd.math.exp(logits.sub(max)), true, 2)).add(max);
        return sd.mean(lse.mul(lse));
    }
}
