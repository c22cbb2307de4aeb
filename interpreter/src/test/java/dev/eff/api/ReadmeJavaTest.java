package dev.eff.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java sample of README.md's "Using Eff from Java" compiles and runs as printed. */
class ReadmeJavaTest {

    @Test
    void theJavaSampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int at = readme.indexOf("## Using Eff from Java");
        assertTrue(at >= 0, "README.md lacks the section");
        int open = readme.indexOf("```java\n", at) + "```java\n".length(), close = readme.indexOf("\n```", open);
        Path source = dir.resolve("Classify.java");
        Files.writeString(source, readme.substring(open, close + 1));
        ByteArrayOutputStream javac = new ByteArrayOutputStream();
        int code = ToolProvider.getSystemJavaCompiler().run(null, javac, javac, "-classpath", System.getProperty("java.class.path"),
                "-d", dir.toString(), source.toString());
        assertEquals(0, code, javac.toString(StandardCharsets.UTF_8));

        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            loader.loadClass("Classify").getMethod("main", String[].class).invoke(null, (Object) new String[] {dir.toString()});
        } finally {
            System.setOut(out);
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("train "), lines.toString());
        assertTrue(lines.get(1).startsWith("evaluate {accuracy="), lines.toString());
        assertEquals("class of (1, 1): 1", lines.get(2));
        assertTrue(Double.parseDouble(lines.get(3).substring("accuracy ".length())) > 0.9, lines.toString());
        assertTrue(Files.isRegularFile(dir.resolve("net.effb")));
    }
}
