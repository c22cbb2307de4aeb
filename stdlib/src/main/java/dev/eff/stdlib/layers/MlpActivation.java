package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.Component;
import java.util.List;
import java.util.Map;

/**
 * The activations {@code mlp(activation = ...)} accepts: the words {@code gelu}, {@code relu} and {@code swiglu},
 * and the call {@code topK(k = ...)}, which keeps the k largest ReLU activations of each token and zeros the rest
 * (the top-k activation of "The Lazy Neuron Phenomenon", Li et al. 2023). Each is an option component so that
 * the checker binds and ranges {@code k} like any argument.
 */
public abstract sealed class MlpActivation implements Component {

    private final Signature signature;

    MlpActivation(String name, String doc, List<Param> params) {
        signature = new Signature(Kind.OPTION, name, null, doc, params);
    }

    @Override public Signature signature() { return signature; }

    /** The default of {@code mlp(activation)}. */
    static final Value.Call DEFAULT = new Value.Call("gelu", Map.of(), null);

    @AutoService(Component.class)
    public static final class Gelu extends MlpActivation {
        public Gelu() { super("gelu", "mlp activation: the exact GELU x·Φ(x)", List.of()); }
    }

    @AutoService(Component.class)
    public static final class Relu extends MlpActivation {
        public Relu() { super("relu", "mlp activation: max(x, 0)", List.of()); }
    }

    @AutoService(Component.class)
    public static final class Swiglu extends MlpActivation {
        public Swiglu() { super("swiglu", "mlp activation: silu(x·W) ⊙ (x·V), a gated unit with two input matrices", List.of()); }
    }

    @AutoService(Component.class)
    public static final class TopK extends MlpActivation {
        public TopK() {
            super("topK", "mlp activation: ReLU of the k largest pre-activations of each token, the others zeroed; "
                            + "gradients reach only the kept ones",
                    List.of(Param.required("k", Type.positive(), "activations kept per token (at most the hidden width)")));
        }
    }
}
