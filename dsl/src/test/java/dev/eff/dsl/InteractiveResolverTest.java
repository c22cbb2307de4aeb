package dev.eff.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Value;
import dev.eff.dsl.diag.Diagnostics;
import dev.eff.dsl.parse.Parser;
import dev.eff.dsl.resolve.Reporter;
import dev.eff.dsl.resolve.Resolver;
import dev.eff.dsl.source.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The resolver's interactive mode (the REPL): entries in order, a later definition replacing an earlier one. */
class InteractiveResolverTest {

    private static Resolver.Resolved resolve(Diagnostics d, String... entries) {
        List<Resolver.Entry> list = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            list.add(new Resolver.Entry(Parser.parse(new Source("[" + (i + 1) + "]", entries[i])).program(), Path.of(".")));
        }
        return Resolver.resolveInteractive(list, Frontend::read, new Reporter(d));
    }

    @Test
    void aLaterDefinitionReplacesTheEarlierOneOfAnyKind() {
        Diagnostics d = new Diagnostics();
        Resolver.Resolved r = resolve(d, "let d = 8", "let d = d * 2\nlet e = d + 1", "model m { dense(d) }", "data m = x()",
                "model k { dense(1) }", "let k = 3");
        assertFalse(d.hasErrors(), d.render());
        assertEquals(new Value.Int(16), r.constants().get("d").value(), "a redefinition may use the earlier value");
        assertEquals(new Value.Int(17), r.constants().get("e").value());
        assertEquals(Set.of("m"), r.data().keySet(), "data m replaced model m");
        assertTrue(r.models().isEmpty(), "model k was replaced by a constant");
        assertEquals(new Value.Int(3), r.constants().get("k").value());
    }

    @Test
    void everyEntrysStatementsAreJobsAndErrorsNameTheirEntry() {
        Diagnostics d = new Diagnostics();
        Resolver.Resolved r = resolve(d, "model m { dense(1) }", "train m on x { steps = 1 }", "evaluate m on x.test { accuracy }");
        assertEquals(2, r.jobs().size());
        assertFalse(d.hasErrors(), d.render());
        resolve(d, "let a = 1", "let b = a * \"x\"");
        assertTrue(d.render().contains("[2]:1:13"), "an error is reported in its entry: " + d.render());
    }

    @Test
    void aScriptStillDefinesEachNameOnce() {
        Frontend.Result r = Frontend.check(new Source("s.eff", "let d = 1\nlet d = 2\n"), dev.eff.dsl.testing.TestCatalog.INSTANCE, Map.of());
        assertTrue(r.diagnostics().render().contains("'d' is already defined at 1:5"), r.diagnostics().render());
    }
}
