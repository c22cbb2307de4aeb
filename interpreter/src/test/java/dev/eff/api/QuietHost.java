package dev.eff.api;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;

/**
 * A host application, run in a fresh JVM by {@link QuietEmbeddingTest}: it captures System.out and System.err, then
 * compiles, trains and predicts through the API and through JSR-223. It prints "quiet" when Eff wrote nothing to
 * either stream and left both as the host set them; else what was written, and exits with 3.
 */
public final class QuietHost {
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(sink);
        System.setErr(sink);
        Blobs data = new Blobs(90, 1);
        Script script = Eff.with().constant("width", 8).array("x", data.x).array("y", data.y).compile("blobs.eff", Blobs.SCRIPT);
        Results r = script.run();
        int[] predicted = r.model("net").classify(data.x);

        ScriptEngine engine = new ScriptEngineManager().getEngineByName("eff");
        engine.put("width", 8);
        engine.put("x", data.x);
        engine.put("y", data.y);
        Results viaEngine = (Results) engine.eval(Blobs.SCRIPT);
        viaEngine.model("net").predict(data.x[0]);

        boolean untouched = System.out == sink && System.err == sink;
        System.setOut(out);
        System.setErr(err);
        String text = captured.toString(StandardCharsets.UTF_8);
        if (text.isEmpty() && untouched && predicted.length == 90) {
            out.println("quiet");
            return;
        }
        err.println("streams replaced: " + !untouched);
        err.print(text);
        System.exit(3);
    }
}
