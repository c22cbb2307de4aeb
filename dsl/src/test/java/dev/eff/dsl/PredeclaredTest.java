package dev.eff.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Value;
import dev.eff.dsl.source.Source;
import dev.eff.dsl.testing.TestCatalog;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Constants a host passes in: used like the script's own lets, and replacing a let of the same name. */
class PredeclaredTest {

    static Frontend.Result check(String text, Map<String, Value> predeclared) {
        return Frontend.check(new Source("host.eff", text), null, TestCatalog.INSTANCE, Map.of(), predeclared);
    }

    @Test
    void aHostConstantIsUsedLikeALet() {
        var r = check("let hidden = 4 * width\nlet name = label\n", Map.of("width", new Value.Int(16), "label", new Value.Str("x")));
        assertEquals(new Value.Int(64), r.program() == null ? null : r.program().constants().get("hidden"), r.diagnostics().render());
        assertEquals(new Value.Str("x"), r.program().constants().get("name"));
    }

    @Test
    void aHostConstantReplacesTheScriptsLetOfThatName() {
        var r = check("let width = 8\nlet hidden = 4 * width\n", Map.of("width", new Value.Int(2)));
        assertEquals(new Value.Int(8), r.program().constants().get("hidden"));
        var twice = check("let width = 8\nlet width = 9\n", Map.of("width", new Value.Int(2)));
        assertFalse(twice.ok());
        assertTrue(twice.diagnostics().render().contains("host.eff:2:5: error: 'width' is already defined"), twice.diagnostics().render());
    }
}
