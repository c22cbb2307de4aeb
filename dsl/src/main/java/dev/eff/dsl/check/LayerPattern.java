package dev.eff.dsl.check;

import java.util.regex.Pattern;

/**
 * A pattern naming layers by model path, as {@code eff summary} prints them: {@code *} matches any run of
 * characters, {@code /} included. A pattern names a layer when it matches the layer's path or a {@code /}-prefix of
 * it, so {@code block1} names every layer under {@code block1/} and {@code block*} those of every block.
 */
public record LayerPattern(String text) {

    public boolean matches(String layerPath) {
        Pattern p = regex();
        if (p.matcher(layerPath).matches()) return true;
        for (int i = layerPath.indexOf('/'); i >= 0; i = layerPath.indexOf('/', i + 1)) {
            if (p.matcher(layerPath.substring(0, i)).matches()) return true;
        }
        return false;
    }

    private Pattern regex() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String part : text.split("\\*", -1)) parts.add(part.isEmpty() ? "" : Pattern.quote(part));
        return Pattern.compile(String.join(".*", parts));
    }
}
