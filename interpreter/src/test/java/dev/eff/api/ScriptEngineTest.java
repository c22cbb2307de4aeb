package dev.eff.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.run.Runner;
import dev.eff.stdlib.Registry;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.script.Compilable;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** Eff through javax.script: found by name and extension, bindings in, results out, errors at their line and column. */
class ScriptEngineTest {
    static final Blobs DATA = new Blobs(120, 5);

    @Test
    void theEngineIsFoundByNameAndByExtension() {
        ScriptEngineManager manager = new ScriptEngineManager();
        ScriptEngine byName = manager.getEngineByName("eff");
        assertInstanceOf(EffScriptEngine.class, byName);
        assertInstanceOf(EffScriptEngine.class, manager.getEngineByExtension("eff"));
        assertEquals("Eff", byName.getFactory().getLanguageName());
        assertEquals(Eff.VERSION, byName.getFactory().getParameter(ScriptEngine.ENGINE_VERSION));
        assertEquals("eff", byName.getFactory().getParameter(ScriptEngine.NAME));
    }

    @Test
    void bindingsGoInAndTheTrainedModelComesOut() throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("eff");
        engine.put("width", 16);
        engine.put("x", Nd4j.createFromArray(DATA.x));
        engine.put("y", DATA.y);
        engine.put("notForEff", new Object());
        Results r = (Results) engine.eval(Blobs.SCRIPT);
        assertTrue(r.metric("accuracy") > 0.9, "accuracy " + r.metric("accuracy"));
        Model net = r.model("net");
        assertEquals(4 * 16 + 16 + 16 * 3 + 3, net.info().parameters(), "width = 16 reached the script");
        int[] predicted = net.classify(DATA.x);
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) correct += predicted[i] == DATA.y[i] ? 1 : 0;
        assertTrue(correct > 100, correct + " of 120");

        engine.put("width", 8);
        Results narrower = (Results) engine.eval(Blobs.SCRIPT);
        assertEquals(4 * 8 + 8 + 8 * 3 + 3, narrower.model("net").info().parameters(), "a new binding, a new run");
    }

    @Test
    void aBindingReplacesTheScriptsOwnLet() throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("eff");
        engine.put("width", 4);
        engine.put("x", DATA.x);
        engine.put("y", DATA.y);
        Results r = (Results) engine.eval("let width = 32\n" + Blobs.SCRIPT.replace("steps = 60", "steps = 1"));
        assertEquals(4 * 4 + 4 + 4 * 3 + 3, r.model("net").info().parameters());
    }

    @Test
    void aScriptErrorRaisesAScriptExceptionAtItsLineAndColumn() {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("eff");
        engine.put("x", DATA.x);
        engine.put("y", DATA.y);
        engine.put(ScriptEngine.FILENAME, "blobs.eff");
        engine.put("width", 4);
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval(Blobs.SCRIPT.replace("activation = relu", "activaton = relu")));
        assertEquals(3, e.getLineNumber());
        assertEquals(18, e.getColumnNumber());
        assertEquals("blobs.eff", e.getFileName());
        assertTrue(e.getMessage().contains("did you mean 'activation'?"), e.getMessage());

        // width unbound: an unknown name where it is used
        engine.getBindings(javax.script.ScriptContext.ENGINE_SCOPE).remove("width");
        ScriptException unbound = assertThrows(ScriptException.class, () -> engine.eval(Blobs.SCRIPT));
        assertEquals(3, unbound.getLineNumber());
        assertEquals(11, unbound.getColumnNumber(), unbound.getMessage());
        assertTrue(unbound.getMessage().contains("width"), unbound.getMessage());

        ScriptException syntax = assertThrows(ScriptException.class, () -> ((Compilable) engine).compile("model m {\n  dense(4\n}\n"));
        assertEquals(2, syntax.getLineNumber(), syntax.getMessage());
        assertEquals(10, syntax.getColumnNumber());
        assertTrue(syntax.getMessage().contains("expected ')'"), syntax.getMessage());
    }

    @Test
    void aRunFailureRaisesAScriptExceptionAtItsStatement() {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("eff");
        engine.put("x", DATA.x);
        engine.put("y", labelsWithA(7));
        engine.put("width", 4);
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval(Blobs.SCRIPT));
        assertEquals(1, e.getLineNumber(), e.getMessage());
        assertEquals(1, e.getColumnNumber());
        assertTrue(e.getMessage().contains("label 7 of example 119 in array 'y' is not a class id in 0..2"), e.getMessage());
        assertInstanceOf(EffException.class, e.getCause());
    }

    @Test
    void aCompiledScriptRunsWithTheBindingsOfEachEval() throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("eff");
        var compiled = ((Compilable) engine).compile(Blobs.SCRIPT.replace("steps = 60", "steps = 2"));
        assertSame(engine, compiled.getEngine());
        var bindings = engine.createBindings();
        bindings.put("width", 2);
        bindings.put("x", DATA.x);
        bindings.put("y", DATA.y);
        Results r = (Results) compiled.eval(bindings);
        assertEquals(4 * 2 + 2 + 2 * 3 + 3, r.model("net").info().parameters());
    }

    /** The text generate streams reaches the context's writer exactly as the runner streams it (compared byte for byte). */
    @Test
    void generatedTextGoesToTheContextsWriter(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("text.txt"), "abcabcabd ".repeat(60));
        String script = """
                data corpus = charText(path = "text.txt", seqLen = 8)
                model lm {
                    embed(vocab = 256, dim = 16, position = learned)
                    residual { layerNorm(); attention(softmax, heads = 2, causal = true) }
                    logits(256)
                }
                train lm on corpus { steps = 20, seed = 3 }
                generate lm { prompt = "ab", tokens = tokens, temperature = 0 }
                """;
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("eff");
        StringWriter out = new StringWriter();
        engine.getContext().setWriter(out);
        engine.put(ScriptEngine.FILENAME, dir.resolve("lm.eff").toString());
        engine.put("tokens", 6);
        Results r = (Results) engine.eval(script);
        assertEquals(6, r.jobs().get(1).examples(), "six tokens");

        Path file = dir.resolve("plain.eff");
        Files.writeString(file, script.replace("tokens = tokens", "tokens = 6"));
        Frontend.Result checked = Frontend.check(file, Registry.standard(), Map.of());
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        new Runner(Registry.standard(), ModelCompiler.standard()).run(checked.program(),
                new Runner.Options(file, dir, Map.of(), 0, 0, 0), new RunEvents() {
                    @Override public java.io.OutputStream stream(ProgramJob job) { return streamed; }
                });
        assertEquals(new String(streamed.toByteArray(), StandardCharsets.UTF_8), out.toString());
        assertTrue(out.toString().endsWith("\n"), out.toString());
    }

    private static int[] labelsWithA(int bad) {
        int[] y = DATA.y.clone();
        y[y.length - 1] = bad;
        return y;
    }
}
