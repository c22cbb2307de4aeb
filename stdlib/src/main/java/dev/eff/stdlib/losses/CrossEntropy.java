package dev.eff.stdlib.losses;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.LossFn;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax cross-entropy against integer class labels, averaged over the labelled examples (and positions):
 * {@code L = -Σ_n w_n Σ_c q_nc · log softmax(z_n)_c / Σ_n w_n} with {@code q = (1-ε)·onehot(y) + ε/C} (label
 * smoothing ε) and {@code w_n = [y_n ≥ 0]}: a negative label means "no label here" (e.g. multi-query recall).
 * Lowered as a max-shifted log-softmax times the one-hot target: no {@code gather} (whose gradient SameDiff builds as a slow
 * per-index loop). M2.1's fused {@code softmax_cross_entropy_loss} and {@code sparseSoftmaxCrossEntropy} both ignore
 * the upstream gradient in their backward, so a weighted loss ({@code 0.5 * crossEntropy()}, CALM's per-exit
 * weights) would train with the wrong weights (see {@code CrossEntropyTest} and {@code CrossEntropyBench}).
 */
@AutoService(Component.class)
public final class CrossEntropy implements LossFn {

    static final Signature SIGNATURE = new Signature(Kind.LOSS, "crossEntropy", null,
            "Softmax cross-entropy for class labels: model output [B, C] with labels [B], or [B, T, C] with "
                    + "labels [B, T] (language modelling); the mean over examples and positions. Labels < 0 are ignored.",
            List.of(Param.of("labelSmoothing", new Type.Real(0, 1, false), 0.0,
                    "Mixes the one-hot target with the uniform distribution: (1 - ε)·onehot + ε/C.")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public void check(Args args, Shape output, DataSchema.Field label, long classes) throws ShapeException {
        Targets.checkClasses("crossEntropy", output, label, classes);
        if (args.real("labelSmoothing") >= 1) {
            throw new ShapeException("labelSmoothing must be below 1 (it is " + args.real("labelSmoothing") + ")",
                    "typical values are 0.1 or less");
        }
    }

    @Override
    public SDVariable lower(SameDiff sd, Args args, SDVariable output, SDVariable labels, long classes) {
        int c = Math.toIntExact(classes);
        SDVariable logits = output.reshape(-1, c);
        SDVariable flat = labels.reshape(-1);
        double eps = args.real("labelSmoothing");
        SDVariable target = sd.oneHot(flat, c, -1, 1.0 - eps, 0.0, output.dataType()).add(eps / c);
        SDVariable labelled = sd.gte(flat, 0).castTo(output.dataType());
        // log-softmax by hand, shifted by each row's maximum so that it stays finite where softmax underflows to 0
        // (0 · log 0 would be NaN); row columns are widened by K = 1 products, whose backward is fast.
        SDVariable onesRow = sd.constant(Nd4j.ones(output.dataType(), 1, c));
        SDVariable z = logits.sub(sd.max(logits, true, 1).mmul(onesRow));
        SDVariable logp = z.sub(sd.math.log(sd.sum(sd.math.exp(z), true, 1)).mmul(onesRow));
        SDVariable perRow = target.mul(logp).sum(1).neg();
        return perRow.mul(labelled).sum().div(sd.math.max(labelled.sum(), sd.constant(1.0).castTo(output.dataType())));
    }
}
