package dev.seatgate.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seatgate.config.ConfigException;
import dev.seatgate.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The license catalog as the config file's {@code licenseCatalog} section describes it. */
class LicenseCatalogTest {

    @TempDir
    Path dir;

    @Test
    void withoutASectionTheCatalogIsTheProvidersTwoTypes() {
        LicenseCatalog catalog = LicenseCatalog.fromConfig(ConfigLoader.load(List.of(), Map.of()).licenseCatalog());

        assertThat(catalog).isSameAs(LicenseCatalog.DEFAULT);
        assertThat(catalog.names()).containsExactly("outbound", "closer");
    }

    @Test
    void catalogComesFromTheFile() throws IOException {
        Path file = write("""
                licenseCatalog:
                  outbound:
                    capabilities: [predictive_dialing, manual_dialing, inbound]
                    unitMonthlyPrice: "175.5"
                    currency: EUR
                  inbound_only:
                    capabilities: [inbound]
                    unitMonthlyPrice: 40
                    currency: EUR
                """);

        LicenseCatalog catalog = load(file);

        assertThat(catalog.names()).containsExactly("outbound", "inbound_only");
        var outbound = catalog.find("outbound").orElseThrow();
        assertThat(outbound.unitMonthlyPrice()).hasToString("175.50");
        assertThat(outbound.currency()).isEqualTo("EUR");
        assertThat(catalog.find("inbound_only").orElseThrow().capabilities()).containsExactly("inbound");
    }

    @Test
    void badCatalogsAreRefusedWithThePathOfTheBadField() throws IOException {
        Path price = write("""
                licenseCatalog:
                  outbound: {capabilities: [inbound], unitMonthlyPrice: "12.345", currency: USD}
                """);
        Path currency = write("""
                licenseCatalog:
                  outbound: {capabilities: [inbound], unitMonthlyPrice: "12.34", currency: dollars}
                """);
        Path name = write("""
                licenseCatalog:
                  "Out Bound": {capabilities: [inbound], unitMonthlyPrice: "12.34", currency: USD}
                """);
        Path empty = write("licenseCatalog: {}\n");
        Path field = write("""
                licenseCatalog:
                  outbound: {capabilities: [inbound], unitMonthlyPrice: "12.34", currency: USD, colour: red}
                """);

        assertThatThrownBy(() -> load(price)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("licenseCatalog.outbound.unitMonthlyPrice (in " + price + "): expected");
        assertThatThrownBy(() -> load(currency))
                .hasMessage("licenseCatalog.outbound.currency (in " + currency
                        + "): 'dollars' (expected: an ISO 4217 code such as USD)");
        assertThatThrownBy(() -> load(name))
                .hasMessageStartingWith("licenseCatalog.Out Bound (in " + name + "): bad type name");
        assertThatThrownBy(() -> load(empty))
                .hasMessageStartingWith("licenseCatalog (in " + empty + "): expected a mapping of license type name");
        assertThatThrownBy(() -> load(field))
                .hasMessage("licenseCatalog.outbound (in " + field
                        + "): unknown field [colour] (expected: capabilities, unitMonthlyPrice, currency)");
    }

    private static LicenseCatalog load(Path file) {
        return LicenseCatalog.fromConfig(ConfigLoader.load(List.of("--config", file.toString()), Map.of())
                .licenseCatalog());
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "seatgate", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
