package dev.eff.stdlib.data;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.eff.dsl.check.Kind;
import dev.eff.stdlib.Registry;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataSourcesRegisteredTest {

    @Test
    void everySourceIsFoundWithDocumentedParameters() {
        var names = List.of("associativeRecall", "charText", "comparison", "csv", "fashionMnist", "idx", "listops", "longRecall", "arrays");
        assertTrue(Registry.standard().names(Kind.DATA).containsAll(names), Registry.standard().names(Kind.DATA).toString());
        for (String n : names) {
            var sig = Registry.standard().lookup(Kind.DATA, n).get(0).signature();
            assertFalse(sig.doc().isBlank());
            sig.params().forEach(p -> assertFalse(p.doc().isBlank(), n + "." + p.name()));
        }
    }
}
