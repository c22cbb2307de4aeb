package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Registry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The components of this package are found by the registry and carry the docs the reference is built from. */
class LayerRegistrationTest {

    private static final List<String> NAMES = List.of("activation", "add", "attention", "concat", "conv2d", "dense",
            "dropout", "embed", "flatten", "layerNorm", "linear", "logits", "maxPool", "mlp", "multiply", "pool", "rmsNorm");

    @Test
    void everyLayerIsRegistered() {
        assertTrue(Registry.standard().names(Kind.LAYER).containsAll(NAMES), Registry.standard().names(Kind.LAYER).toString());
        assertEquals("softmax", Registry.standard().lookup(Kind.LAYER, "attention").get(0).signature().variant());
        assertNotNull(Registry.standard().find(Kind.LAYER, "attention", "softmax"));
    }

    @Test
    void everyLayerIsDocumented() {
        for (Component c : Registry.standard().all()) {
            if (!(c instanceof Layer) || !c.getClass().getPackageName().equals(Dense.class.getPackageName())) continue;
            var sig = c.signature();
            assertEquals(Kind.LAYER, sig.kind());
            assertFalse(sig.doc().isBlank(), sig.title());
            for (Param p : sig.params()) assertFalse(p.doc().isBlank(), sig.title() + "." + p.name());
        }
    }
}
