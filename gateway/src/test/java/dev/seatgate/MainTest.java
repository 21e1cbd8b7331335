package dev.seatgate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsEverySettingWithItsDefault() {
        String usage = Main.usage();

        assertThat(usage).containsPattern("SEATGATE_LEASE_TTL +\\[leaseTtl] +default: PT30S")
                .containsPattern("SEATGATE_ADMIN_TOKEN +\\[adminToken] +unset by default")
                .containsPattern("SEATGATE_LOG_LEVEL +\\[environment only] +default: INFO")
                .contains("--version");
    }
}
