package dev.eff.api.examples;

import com.sun.net.httpserver.HttpServer;
import dev.eff.api.Eff;
import dev.eff.api.SavedModel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Serves a saved classifier over HTTP: POST /predict with one example per line (comma-separated features) answers
 * with one class name per line. Four threads share one {@link SavedModel}.
 */
public final class PredictionServer {
    private PredictionServer() {}

    public static HttpServer start(Path bundle) throws Exception {
        SavedModel model = Eff.load(bundle);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/predict", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer;
            int status = 200;
            try {
                float[][] rows = body.lines().map(l -> parse(l.split(","))).toArray(float[][]::new);
                answer = Arrays.stream(model.classify(rows)).mapToObj(c -> model.classNames().get(c))
                        .collect(Collectors.joining("\n", "", "\n")).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                status = 400;
                answer = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(status, answer.length);
            try (var out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        return server;
    }

    private static float[] parse(String[] fields) {
        float[] row = new float[fields.length];
        for (int i = 0; i < row.length; i++) row[i] = Float.parseFloat(fields[i].strip());
        return row;
    }

    /** Stops the server and its threads. */
    public static void stop(HttpServer server) throws IOException {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
