package dev.eff.stdlib;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ~200-line script used to measure `eff check` checks cleanly with the standard components. */
class ModelZooCheckTest {

    @Test
    void modelZooChecksClean() throws URISyntaxException {
        Path zoo = Path.of(ModelZooCheckTest.class.getResource("/model_zoo.eff").toURI());
        Frontend.Result r = Frontend.check(zoo, Registry.standard(), Map.of());
        assertTrue(r.ok() && r.diagnostics().all().isEmpty(), r.diagnostics().render());
    }
}
