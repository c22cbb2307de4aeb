package dev.eff.stdlib.layers;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** The elementwise nonlinearities a layer may apply, by the word used in scripts. */
enum ActivationFn {
    NONE(0), RELU(1), GELU(Gelu.OPS_PER_ELEMENT), TANH(1), SIGMOID(1), SILU(1);

    /** Forward FLOPs per element, counted as the primitive ops the lowering emits. */
    final long flopsPerElement;

    ActivationFn(long flopsPerElement) { this.flopsPerElement = flopsPerElement; }

    String word() { return name().toLowerCase(Locale.ROOT); }

    static ActivationFn of(String word) { return valueOf(word.toUpperCase(Locale.ROOT)); }

    /** The words a script may write, optionally with {@code none} first (so it is the default). */
    static String[] words(boolean withNone) {
        return Arrays.stream(values()).filter(a -> withNone || a != NONE).map(ActivationFn::word).toArray(String[]::new);
    }

    SDVariable apply(SameDiff sd, SDVariable x) {
        return switch (this) {
            case NONE -> x;
            case RELU -> sd.nn.relu(x, 0);
            case GELU -> Gelu.apply(sd, x);
            case TANH -> sd.math.tanh(x);
            case SIGMOID -> sd.nn.sigmoid(x);
            case SILU -> sd.nn.swish(x);
        };
    }
}
