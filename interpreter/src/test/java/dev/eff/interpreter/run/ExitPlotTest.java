package dev.eff.interpreter.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit-layer histogram is drawn from a generate job's exit@K metrics, and only from them. */
class ExitPlotTest {

    static JobReport generate(Map<String, Double> metrics) {
        return new JobReport("generate", "lm.eff:9:1", "lm", 10, "corpus", "train", null, null, null, 1, null, 0L, null, null,
                metrics, 10, 0, 1, null, null, null, null);
    }

    @Test
    void aHistogramOfTheExitsIsWrittenAsAPng(@TempDir Path dir) throws Exception {
        Map<String, Double> m = new LinkedHashMap<>(Map.of("tokens/s", 10.0, "layers/token", 1.8));
        m.put("exit@1", 0.5);
        m.put("exit@2", 0.2);
        m.put("exit@3", 0.3);
        Path png = dir.resolve("exits.png");
        assertTrue(ExitPlot.write(generate(m), png));
        assertEquals(640, ImageIO.read(png.toFile()).getWidth());
        assertFalse(ExitPlot.write(generate(Map.of("tokens/s", 10.0)), dir.resolve("none.png")));
        assertFalse(Files.exists(dir.resolve("none.png")));
    }
}
