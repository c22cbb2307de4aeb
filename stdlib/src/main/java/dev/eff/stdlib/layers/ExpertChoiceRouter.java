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
import java.lang.reflect.Field;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.TopK;

/**
 * Expert choice routing (Zhou et al. 2022): within a group of S tokens each expert takes the C = ⌈k·S/E⌉
 * tokens it scores highest, so every expert carries exactly the same load and a token may be taken by
 * none, one or several experts (k is the average). The gate of a slot is the router probability of its token
 * for that expert. No load-balancing loss is needed; {@code aux.zloss} is emitted as for token choice.
 *
 * <p>Each expert's choice depends on every token of its group, later ones included, so in a causal model
 * this leaks the future into the past (flaxformer forbids it in decoders): a model with a causal attention
 * is rejected unless the call says {@code allowCausal = true}.
 */
@AutoService(Component.class)
public final class ExpertChoiceRouter implements Router {

    private static final Signature SIGNATURE = new Signature(Kind.ROUTER, "expertChoice", null,
            "Expert choice routing: each expert takes its ⌈k·S/E⌉ highest-scoring tokens of a group of S, so every "
                    + "expert has the same load and a token gets k experts on average (possibly none). Not causal. "
                    + "Emits aux.zloss.",
            List.of(Param.of("k", Type.positiveReal(), 2.0, "capacity factor: experts per token on average"),
                    Param.of("evalK", new Type.Real(0, Double.POSITIVE_INFINITY, false), 0.0,
                            "capacity factor of the evaluation and prediction graph; 0 uses k"),
                    Param.of("allowCausal", new Type.Bool(), false,
                            "accept this router in a causal model, knowing that a token's routing then sees later tokens")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public int capacity(Args route, long groupSize, long experts, boolean inference) {
        double k = inference && route.real("evalK") > 0 ? route.real("evalK") : route.real("k");
        return slots(k, groupSize, experts);
    }

    /** ⌈k·S/E⌉, between 1 and S. */
    static int slots(double k, long groupSize, long experts) {
        double c = Math.ceil(k * groupSize / experts - 1e-9);
        return (int) Math.max(1, Math.min(groupSize, c));
    }

    @Override public double expertsPerToken(Args route) { return route.real("k"); }

    @Override
    public void check(Args route, long groupSize, long experts) throws ShapeException {
        for (String p : List.of("k", "evalK")) {
            double k = route.real(p);
            if (k > experts) {
                throw new ShapeException("expertChoice(" + p + " = " + route.get(p).render() + ") asks for more experts per "
                        + "token than the " + experts + " there are", p + " is the average number of experts per token, at most experts");
            }
        }
    }

    @Override
    public void checkInCausalModel(Args route) throws ShapeException {
        if (!route.bool("allowCausal")) {
            throw new ShapeException("expert choice routing looks into the future in a causal model: each expert picks "
                    + "its tokens among the whole group, later positions included",
                    "use route = tokenChoice(...) in a decoder, or opt in with expertChoice(..., allowCausal = true)");
        }
    }

    @Override
    public List<SideOutput> sideOutputs() {
        return List.of(SideOutput.aux("zloss", "router z-loss: mean (log Σ exp logits)²"));
    }

    /**
     * The indices of the {@code k} largest entries on the last axis. M2.1's {@code TopK} passes its integer arguments
     * to the native top_k in the wrong order ([sorted, k] where it reads k first: {@code sd.nn.topK(x, 4, false)}
     * asks for k = 0 and fails), so the arguments are set in the order the native op reads them.
     */
    static SDVariable topIndices(SameDiff sd, SDVariable x, int k) {
        TopK op = new TopK(sd, x, k, true);
        try {
            Field field = DynamicCustomOp.class.getDeclaredField("iArguments");
            field.setAccessible(true);
            @SuppressWarnings("unchecked") List<Long> iArgs = (List<Long>) field.get(op);
            iArgs.clear();
            iArgs.add((long) k);
            iArgs.add(1L);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set the arguments of top_k", e);
        }
        return op.outputVariables()[1];
    }

    @Override
    public Routing route(Lowering ctx, Args route, SDVariable logits, SDVariable probs, long groupSize, long experts,
                         int capacity) {
        SameDiff sd = ctx.sd();
        // topK over tokens per expert; only its indices are used, so M2.1's missing topK gradient is never needed
        SDVariable top = topIndices(sd, probs.permute(0, 2, 1), capacity);
        SDVariable dispatch = sd.oneHot(top, Math.toIntExact(groupSize), -1, 1.0, 0.0, ctx.dtype());
        if (!ctx.inference()) ctx.aux("zloss", TokenChoiceRouter.zLoss(sd, logits));
        SDVariable assigned = sd.sum(dispatch, 0, 2, 3);
        return new Routing(dispatch, probs, assigned);
    }
}
