package dev.seatgate.standing;

import java.time.Instant;

/**
 * A tenant's account standing as the API answers it ({@code GET/PUT /v1/tenants/{t}/standing}).
 *
 * @param since     when the status began: the tenant's creation for one never set, the suspendAt of an automatic
 *                  suspension
 * @param suspendAt when a past-due tenant will be suspended, or null (always null for other statuses)
 * @param note      the admin's note, or null
 */
public record Standing(String tenant, StandingStatus status, Instant since, Instant suspendAt, String note) {
}
