package dev.eff.api.examples;

import com.sun.net.httpserver.HttpServer;
import dev.eff.api.Eff;
import dev.eff.api.Results;
import dev.eff.api.Script;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * An application embedding Eff: it trains a classifier on arrays it holds, saves it as a bundle, then serves the
 * bundle from a fresh class loader, which shares nothing of Eff with the code that trained it.
 * {@code java ... dev.eff.api.examples.TrainAndServe DIR}.
 */
public final class TrainAndServe {
    static final String SCRIPT = """
            data flowers = arrays(inputs = ["x"], label = "species", classes = 3, testFraction = 0.2)
            model classifier { dense(16, activation = relu); logits(3) }
            train classifier on flowers { optimizer = adam(lr = 0.01); batch = 32; steps = 80 }
            evaluate classifier on flowers.test { accuracy }
            """;

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args.length > 0 ? args[0] : ".").resolve("classifier.effb");
        float[][] x = new float[150][4];
        int[] species = new int[150];
        Random random = new Random(1);
        for (int i = 0; i < x.length; i++) {
            species[i] = i % 3;
            for (int j = 0; j < 4; j++) x[i][j] = (float) ((j == species[i] ? 2 : 0) + random.nextGaussian() * 0.5);
        }
        Script script = Eff.with().array("x", x).array("species", species).compile("flowers.eff", SCRIPT);
        if (!script.ok()) throw new IllegalStateException(script.render());
        Results results = script.run();
        results.model("classifier").save(bundle);
        System.out.println("accuracy " + results.metric("accuracy") + ", saved to " + bundle);

        try (URLClassLoader fresh = freshLoader()) {
            HttpServer server = (HttpServer) fresh.loadClass(PredictionServer.class.getName())
                    .getMethod("start", Path.class).invoke(null, bundle);
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/predict");
            String rows = Arrays.toString(x[0]).replaceAll("[\\[\\] ]", "") + "\n" + Arrays.toString(x[1]).replaceAll("[\\[\\] ]", "");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString(rows)).build(), HttpResponse.BodyHandlers.ofString());
            System.out.print("served:\n" + answer.body());
            fresh.loadClass(PredictionServer.class.getName()).getMethod("stop", HttpServer.class).invoke(null, server);
        }
    }

    /**
     * A class loader that loads Eff's own classes (dev.eff.*) afresh from the class path and leaves the rest to the
     * parent: ND4J's native library can be loaded by one class loader per JVM only.
     */
    static URLClassLoader freshLoader() {
        URL[] path = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).map(p -> {
            try {
                return Path.of(p).toUri().toURL();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(URL[]::new);
        return new URLClassLoader(path, TrainAndServe.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith("dev.eff.")) return super.loadClass(name, resolve);
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) c = findClass(name);
                    if (resolve) resolveClass(c);
                    return c;
                }
            }
        };
    }
}
