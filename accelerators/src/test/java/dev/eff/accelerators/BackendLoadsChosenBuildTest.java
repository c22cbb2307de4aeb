package dev.eff.accelerators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Starts ND4J after {@link Backend#configure()} and checks that the library JavaCPP loaded is the chosen build's. */
class BackendLoadsChosenBuildTest {

    @Test
    void theLoadedLibraryIsTheChosenBuild() {
        assumeTrue(Backend.platform().equals(Backend.PLATFORM), "builds are chosen on linux-x86_64 only");
        Backend.Choice choice = Backend.configure();
        var d = Backend.describe();
        String lib = d.get("native library");
        assertTrue(lib.contains("/bindings/" + choice.build().classifier(Backend.PLATFORM) + "/"), lib + " for " + choice);
        assertEquals(choice.build().extension(), System.getProperty(Backend.JAVACPP_EXTENSION));
        assertTrue(d.get("native build").startsWith(choice.build().word()), d.toString());
    }
}
