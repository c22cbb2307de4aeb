package dev.eff.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Embedding Eff prints nothing: a host in a fresh JVM (ND4J not started, no logging properties set) compiles, trains
 * and predicts through the API and JSR-223. Its streams are read from outside, so output of native code would
 * show too.
 */
class QuietEmbeddingTest {

    @Test
    void aHostSeesNothingOfNd4jOnItsStreams() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                QuietHost.class.getName())).start();
        p.getOutputStream().close();
        var stdout = p.getInputStream().readAllBytes();
        var stderr = p.getErrorStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("the host did not finish");
        }
        String err = new String(stderr, StandardCharsets.UTF_8);
        assertEquals("", err, "the host's standard error");
        assertEquals("quiet\n", new String(stdout, StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue());
    }
}
