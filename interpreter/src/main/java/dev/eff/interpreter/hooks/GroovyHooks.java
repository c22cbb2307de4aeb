package dev.eff.interpreter.hooks;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Hook;
import dev.eff.dsl.check.HookDecl;
import dev.eff.dsl.check.HookLanguage;
import dev.eff.dsl.check.Kind;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.Script;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Hooks written in Groovy. Declaring a hook compiles its script (nothing of it runs until a graph is built, and then
 * only when the run allows hooks, see {@link HookPolicy}). Every Groovy compilation defines a class that stays loaded
 * as long as its class loader lives, so compiled scripts are cached by a hash of their source, each in a class loader
 * of its own: checking or running the same script again defines no new class, and a script dropped from the cache
 * (the least recently used beyond {@link #CACHED}) takes its loader and class with it.
 */
@AutoService(HookLanguage.class)
public final class GroovyHooks implements HookLanguage {

    /** Distinct hook sources kept compiled; far more than a script or a session of scripts declares. */
    static final int CACHED = 256;

    private static final Map<String, Class<? extends Script>> COMPILED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Class<? extends Script>> eldest) {
            if (size() <= CACHED) return false;
            if (eldest.getValue().getClassLoader() instanceof GroovyClassLoader g) g.clearCache();
            return true;
        }
    };

    @Override public String name() { return "groovy"; }

    @Override
    public Hook declare(HookDecl decl) throws CompileError {
        Class<? extends Script> script = compile(decl.source());
        return decl.kind() == Kind.LOSS ? new GroovyLoss(decl, script)
                : decl.kind() == Kind.METRIC ? new GroovyMetric(decl, script) : new GroovyCallback(decl, script);
    }

    /** The script class of {@code source}, compiled once per distinct source. */
    static Class<? extends Script> compile(String source) throws CompileError {
        String key = sha256(source);
        synchronized (COMPILED) {
            Class<? extends Script> cached = COMPILED.get(key);
            if (cached != null) return cached;
        }
        Class<? extends Script> compiled = parse(source, "hook_" + key.substring(0, 16));
        synchronized (COMPILED) {
            return COMPILED.computeIfAbsent(key, k -> compiled);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Script> parse(String source, String className) throws CompileError {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(HookScript.class.getName());
        config.addCompilationCustomizers(new ImportCustomizer().addStarImports("org.nd4j.autodiff.samediff"));
        GroovyClassLoader loader = new GroovyClassLoader(GroovyHooks.class.getClassLoader(), config);
        try {
            return (Class<? extends Script>) loader.parseClass(new GroovyCodeSource(source, className + ".groovy", "/eff/hooks"), false);
        } catch (MultipleCompilationErrorsException e) {
            throw firstError(e);
        } catch (CompilationFailedException e) {
            throw new CompileError(1, 1, e.getMessage());
        }
    }

    /** Groovy's first error, at its line and column, with its own words (without the "startup failed" preamble). */
    private static CompileError firstError(MultipleCompilationErrorsException e) {
        for (Object m : e.getErrorCollector().getErrors()) {
            if (m instanceof SyntaxErrorMessage s) {
                SyntaxException x = s.getCause();
                return new CompileError(x.getLine(), x.getStartColumn(), clean(x.getOriginalMessage()));
            }
            if (m instanceof ExceptionMessage x) return new CompileError(1, 1, String.valueOf(x.getCause().getMessage()));
        }
        return new CompileError(1, 1, e.getMessage());
    }

    /** Groovy's parser words ("Unexpected input: '}'") on one line: the source they quote may span several. */
    private static String clean(String message) {
        String one = message.strip().replaceAll("\\s*\\R\\s*", " ");
        return one.endsWith(".") ? one.substring(0, one.length() - 1) : one;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
