package dev.seatgate.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A part of the config file that another package reads itself (the license catalog is read by
 * {@code licenses}), kept as parsed YAML.
 *
 * @param node   the value under the section's key
 * @param origin where it came from, for error messages: {@code licenseCatalog (in FILE)}
 */
public record ConfigSection(JsonNode node, String origin) {
}
