package dev.eff.interpreter.bench;

import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.autodiff.loss.LossReduce;

/**
 * The model of scripts/char_transformer.eff written directly against SameDiff, as a SameDiff user who
 * knows the engine's traps would write it (one-hot embedding instead of gather, 2-D matmuls, fused QKV,
 * rank-4 attention matmuls, exact GELU) and trained with {@code sd.fit}. The benchmark's baseline.
 */
final class HandWrittenCharLm {
    static final String TOKENS = "tokens", LABELS = "labels", LOGITS = "logits";

    private final SameDiff sd = SameDiff.create();
    private final SplittableRandom random;
    private final long t, d, heads, vocab;

    private HandWrittenCharLm(long vocab, long t, long d, long heads, long seed) {
        this.vocab = vocab;
        this.t = t;
        this.d = d;
        this.heads = heads;
        this.random = new SplittableRandom(seed);
    }

    static SameDiff build(int vocab, int seqLen, int dim, int heads, int layers, double lr, double weightDecay, long seed) {
        HandWrittenCharLm m = new HandWrittenCharLm(vocab, seqLen, dim, heads, seed);
        SameDiff sd = m.sd;
        SDVariable tokens = sd.placeHolder(TOKENS, DataType.INT32, -1, seqLen);
        SDVariable labels = sd.placeHolder(LABELS, DataType.INT32, -1, seqLen);
        SDVariable x = sd.oneHot(tokens, vocab, -1, 1.0, 0.0, DataType.FLOAT).reshape(-1, vocab)
                .mmul(m.normal("E", 0.02, vocab, dim)).reshape(-1, seqLen, dim)
                .add(m.normal("P", 0.02, seqLen, dim));
        SDVariable mask = sd.constant("mask", causalMask(seqLen));
        for (int l = 0; l < layers; l++) {
            x = x.add(m.attention("a" + l, m.layerNorm("ln1_" + l, x), mask));
            x = x.add(m.mlp("m" + l, m.layerNorm("ln2_" + l, x)));
        }
        SDVariable logits = m.linear("out", m.layerNorm("lnf", x).reshape(-1, dim), dim, vocab);
        logits.rename(LOGITS);
        SDVariable target = sd.oneHot(labels.reshape(-1), vocab, -1, 1.0, 0.0, DataType.FLOAT);
        SDVariable loss = sd.loss().softmaxCrossEntropy(target, logits, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
        sd.setLossVariables(loss.name());
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(lr))
                .regularization(new WeightDecay(weightDecay, true))
                .dataSetFeatureMapping(TOKENS)
                .dataSetLabelMapping(LABELS)
                .build());
        return sd;
    }

    private SDVariable attention(String name, SDVariable x, SDVariable mask) {
        long dh = d / heads;
        SDVariable qkv = linear(name + "_qkv", x.reshape(-1, d), d, 3 * d).reshape(-1, t, 3 * heads, dh).permute(0, 2, 1, 3);
        SDVariable[] p = sd.split(qkv, 3, 1);
        SDVariable scores = sd.mmul(p[0].mul(1 / Math.sqrt(dh)), p[1], false, true, false).add(mask);
        SDVariable merged = sd.mmul(sd.nn.softmax(scores, -1), p[2]).permute(0, 2, 1, 3).reshape(-1, d);
        return linear(name + "_o", merged, d, d).reshape(-1, t, d);
    }

    private SDVariable mlp(String name, SDVariable x) {
        SDVariable h = linear(name + "_1", x.reshape(-1, d), d, 4 * d);
        SDVariable gelu = h.mul(sd.math.erf(h.mul(1 / Math.sqrt(2))).add(1.0)).mul(0.5);
        return linear(name + "_2", gelu, 4 * d, d).reshape(-1, t, d);
    }

    private SDVariable layerNorm(String name, SDVariable x) {
        SDVariable c = x.sub(sd.mean(x, true, 2));
        SDVariable inv = sd.math.rsqrt(sd.mean(sd.math.square(c), true, 2).add(1e-5));
        return c.mul(inv).mul(sd.var(name + "_g", Nd4j.ones(DataType.FLOAT, d))).add(sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, d)));
    }

    private SDVariable linear(String name, SDVariable rows, long in, long out) {
        double limit = Math.sqrt(6.0 / (in + out));
        SDVariable w = sd.var(name + "_W", uniform(limit, in, out));
        return sd.nn.biasAdd(rows.mmul(w), sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, out)), false);
    }

    private SDVariable normal(String name, double std, long rows, long cols) {
        float[] v = new float[Math.toIntExact(rows * cols)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (std * gaussian());
        return sd.var(name, Nd4j.create(v, new long[] {rows, cols}, 'c'));
    }

    private INDArray uniform(double limit, long rows, long cols) {
        float[] v = new float[Math.toIntExact(rows * cols)];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }

    private double gaussian() {
        double u = random.nextDouble(), w = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
    }

    private static INDArray causalMask(int t) {
        float[][] m = new float[t][t];
        for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) m[i][j] = -1e9f;
        return Nd4j.createFromArray(m);
    }
}
