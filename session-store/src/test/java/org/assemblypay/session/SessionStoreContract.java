package org.assemblypay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link SessionStore} adapter must show; subclasses supply the adapter. */
public abstract class SessionStoreContract {

  private final List<SessionStore> opened = new ArrayList<>();

  /** A fresh, empty store with these limits. */
  protected abstract SessionStore newStore(SessionStoreSettings settings);

  /** Lets at least {@code duration} pass as far as the store's expiry is concerned. */
  protected abstract void passTime(Duration duration) throws InterruptedException;

  protected SessionStore store(SessionStoreSettings settings) {
    SessionStore store = newStore(settings);
    opened.add(store);
    return store;
  }

  protected SessionStore store() {
    return store(SessionStoreSettings.DEFAULTS);
  }

  @AfterEach
  void closeStores() {
    opened.forEach(SessionStore::close);
  }

  protected static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store call failed", e);
    }
  }

  private static String id() {
    return "s-" + UUID.randomUUID();
  }

  @Test
  void anUnknownSessionIsEmpty() {
    assertThat(await(store().load(id()))).isEmpty();
  }

  @Test
  void aCreatedSessionLoadsWithVersionOne() {
    SessionStore store = store();
    String id = id();
    assertThat(await(store.save(new SessionWrite(id, "233244000001", 0, "{\"a\":1}"))))
        .isEqualTo(new SaveResult.Saved(1));
    assertThat(await(store.load(id)))
        .contains(new StoredSession(id, "233244000001", 1, "{\"a\":1}"));
  }

  @Test
  void saveWithTheCurrentVersionAdvancesIt() {
    SessionStore store = store();
    String id = id();
    await(store.save(new SessionWrite(id, "233244000001", 0, "one")));
    assertThat(await(store.save(new SessionWrite(id, "233244000001", 1, "two"))))
        .isEqualTo(new SaveResult.Saved(2));
    assertThat(await(store.load(id)).map(StoredSession::payload)).contains("two");
  }

  @Test
  void aStaleWriterLosesAndChangesNothing() {
    SessionStore store = store();
    String id = id();
    await(store.save(new SessionWrite(id, "233244000001", 0, "one")));
    await(store.save(new SessionWrite(id, "233244000001", 1, "two")));
    assertThat(await(store.save(new SessionWrite(id, "233244000001", 1, "stale"))))
        .isEqualTo(new SaveResult.Conflict(2));
    assertThat(await(store.save(new SessionWrite(id, "233244000001", 0, "create again"))))
        .isEqualTo(new SaveResult.Conflict(2));
    assertThat(await(store.load(id)).map(StoredSession::payload)).contains("two");
  }

  @Test
  void updatingAMissingSessionConflictsWithVersionZero() {
    SessionStore store = store();
    String id = id();
    assertThat(await(store.save(new SessionWrite(id, "233244000001", 3, "x"))))
        .isEqualTo(new SaveResult.Conflict(0));
    assertThat(await(store.load(id))).isEmpty();
  }

  @Test
  void ofManyConcurrentWritersExactlyOneWins() {
    SessionStore store = store();
    String id = id();
    await(store.save(new SessionWrite(id, "233244000001", 0, "start")));
    List<CompletableFuture<SaveResult>> racers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      racers.add(
          store.save(new SessionWrite(id, "233244000001", 1, "writer " + i)).toCompletableFuture());
    }
    List<SaveResult> results = racers.stream().map(CompletableFuture::join).toList();
    assertThat(results).filteredOn(SaveResult.Saved.class::isInstance).hasSize(1);
    assertThat(results)
        .filteredOn(SaveResult.Conflict.class::isInstance)
        .hasSize(15)
        .allMatch(result -> ((SaveResult.Conflict) result).currentVersion() == 2);
    int winner = results.indexOf(new SaveResult.Saved(2));
    assertThat(await(store.load(id)).map(StoredSession::payload)).contains("writer " + winner);
  }

  @Test
  void deleteRemovesTheSessionAndIsIdempotent() {
    SessionStore store = store();
    String id = id();
    await(store.save(new SessionWrite(id, "233244000001", 0, "x")));
    await(store.delete(id));
    await(store.delete(id));
    assertThat(await(store.load(id))).isEmpty();
  }

  @Test
  void payloadsKeepEveryCharacter() {
    SessionStore store = store();
    String id = "odd}{id*1#";
    String payload = "Ɛyɛ GHS 5.00 ₵ \n \"quoted\" {\"k\":[1,2]} 😀";
    await(store.save(new SessionWrite(id, "233244000001", 0, payload)));
    assertThat(await(store.load(id)).map(StoredSession::payload)).contains(payload);
    await(store.delete(id));
  }

  @Test
  void aSessionExpiresAfterItsTtl() throws InterruptedException {
    SessionStore store = store(SessionStoreSettings.DEFAULTS.withTtlSeconds(1));
    String id = id();
    await(store.save(new SessionWrite(id, "233244000001", 0, "x")));
    assertThat(await(store.load(id))).isPresent();
    passTime(Duration.ofMillis(1100));
    assertThat(await(store.load(id))).isEmpty();
    assertThat(await(store.save(new SessionWrite(id, "233244000001", 1, "late"))))
        .isEqualTo(new SaveResult.Conflict(0));
  }

  @Test
  void eachSaveRestartsTheTtl() throws InterruptedException {
    SessionStore store = store(SessionStoreSettings.DEFAULTS.withTtlSeconds(2));
    String id = id();
    await(store.save(new SessionWrite(id, "233244000001", 0, "x")));
    passTime(Duration.ofMillis(1200));
    await(store.save(new SessionWrite(id, "233244000001", 1, "y")));
    passTime(Duration.ofMillis(1200));
    assertThat(await(store.load(id)).map(StoredSession::payload)).contains("y");
  }

  @Test
  void theLastSessionOfAPhoneIsRememberedAndReplaced() {
    SessionStore store = store();
    String msisdn = "2332" + (10_000_000 + (int) (Math.random() * 80_000_000));
    assertThat(await(store.lastSession(msisdn))).isEmpty();
    await(store.rememberLast(new LastSession(msisdn, "first", "p1", 1000)));
    await(store.rememberLast(new LastSession(msisdn, "second", "p2", 2000)));
    assertThat(await(store.lastSession(msisdn)))
        .contains(new LastSession(msisdn, "second", "p2", 2000));
  }

  @Test
  void saveAndRememberRecordsTheLastSessionOnlyWhenTheSaveApplies() {
    SessionStore store = store();
    String id = id();
    String msisdn = "23324" + (1_000_000 + (int) (Math.random() * 8_000_000));
    assertThat(await(store.saveAndRemember(new SessionWrite(id, msisdn, 0, "p1"), 1000)))
        .isEqualTo(new SaveResult.Saved(1));
    assertThat(await(store.load(id)).map(StoredSession::payload)).contains("p1");
    assertThat(await(store.lastSession(msisdn))).contains(new LastSession(msisdn, id, "p1", 1000));

    // A stale version loses: neither the session nor the phone's record changes.
    assertThat(await(store.saveAndRemember(new SessionWrite(id, msisdn, 0, "p2"), 2000)))
        .isEqualTo(new SaveResult.Conflict(1));
    assertThat(await(store.load(id)).map(StoredSession::payload)).contains("p1");
    assertThat(await(store.lastSession(msisdn))).contains(new LastSession(msisdn, id, "p1", 1000));

    assertThat(await(store.saveAndRemember(new SessionWrite(id, msisdn, 1, "p3"), 3000)))
        .isEqualTo(new SaveResult.Saved(2));
    assertThat(await(store.lastSession(msisdn))).contains(new LastSession(msisdn, id, "p3", 3000));
  }

  @Test
  void loadWithLastAnswersAsTheTwoReadsWould() {
    SessionStore store = store();
    String id = id();
    String msisdn = "23326" + (1_000_000 + (int) (Math.random() * 8_000_000));
    assertThat(await(store.loadWithLast(id, msisdn)))
        .isEqualTo(new SessionAndLast(Optional.empty(), Optional.empty()));
    await(store.rememberLast(new LastSession(msisdn, "earlier", "before", 1234)));
    assertThat(await(store.loadWithLast(id, msisdn)))
        .isEqualTo(
            new SessionAndLast(
                Optional.empty(), Optional.of(new LastSession(msisdn, "earlier", "before", 1234))));
    await(store.save(new SessionWrite(id, msisdn, 0, "now\n*ɛ₵")));
    SessionAndLast both = await(store.loadWithLast(id, msisdn));
    assertThat(both.session()).isEqualTo(await(store.load(id)));
    assertThat(both.session().map(StoredSession::payload)).contains("now\n*ɛ₵");
    assertThat(both.session().map(StoredSession::msisdn)).contains(msisdn);
    assertThat(both.last()).isEqualTo(await(store.lastSession(msisdn)));
    await(store.forgetLast(msisdn, "earlier"));
    assertThat(await(store.loadWithLast(id, msisdn)).last()).isEmpty();
    assertThat(await(store.loadWithLast(id, msisdn)).session()).isPresent();
  }

  @Test
  void saveAndForgetForgetsThePhonesRecordOnlyWhenTheSaveAppliesAndItNamesThisSession() {
    SessionStore store = store();
    String id = id();
    String msisdn = "23327" + (1_000_000 + (int) (Math.random() * 8_000_000));
    await(store.saveAndRemember(new SessionWrite(id, msisdn, 0, "p1"), 1000));

    // A stale version loses: neither the session nor the phone's record changes.
    assertThat(await(store.saveAndForget(new SessionWrite(id, msisdn, 0, "end"))))
        .isEqualTo(new SaveResult.Conflict(1));
    assertThat(await(store.load(id)).map(StoredSession::payload)).contains("p1");
    assertThat(await(store.lastSession(msisdn))).contains(new LastSession(msisdn, id, "p1", 1000));

    assertThat(await(store.saveAndForget(new SessionWrite(id, msisdn, 1, "end"))))
        .isEqualTo(new SaveResult.Saved(2));
    assertThat(await(store.load(id)).map(StoredSession::payload)).contains("end");
    assertThat(await(store.lastSession(msisdn))).isEmpty();

    // A newer session's record is left alone.
    await(store.rememberLast(new LastSession(msisdn, "newer", "n", 2000)));
    assertThat(await(store.saveAndForget(new SessionWrite(id, msisdn, 2, "end again"))))
        .isEqualTo(new SaveResult.Saved(3));
    assertThat(await(store.lastSession(msisdn)).map(LastSession::sessionId)).contains("newer");
  }

  @Test
  void ofManyConcurrentCombinedSavesExactlyOneWinsAndOnlyItTouchesThePhonesRecord() {
    SessionStore store = store();
    String id = id();
    String msisdn = "23328" + (1_000_000 + (int) (Math.random() * 8_000_000));
    await(store.saveAndRemember(new SessionWrite(id, msisdn, 0, "start"), 1));
    List<CompletableFuture<SaveResult>> racers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      SessionWrite write = new SessionWrite(id, msisdn, 1, "writer " + i);
      racers.add(
          (i % 2 == 0 ? store.saveAndForget(write) : store.saveAndRemember(write, 100 + i))
              .toCompletableFuture());
    }
    List<SaveResult> results = racers.stream().map(CompletableFuture::join).toList();
    assertThat(results).filteredOn(SaveResult.Saved.class::isInstance).hasSize(1);
    int winner = results.indexOf(new SaveResult.Saved(2));
    assertThat(await(store.load(id)).map(StoredSession::payload)).contains("writer " + winner);
    // The phone's record is what the winner left: forgotten, or its own payload.
    Optional<LastSession> last = await(store.lastSession(msisdn));
    if (winner % 2 == 0) {
      assertThat(last).isEmpty();
    } else {
      assertThat(last).contains(new LastSession(msisdn, id, "writer " + winner, 100 + winner));
    }
  }

  @Test
  void forgetLastOnlyForgetsTheNamedSession() {
    SessionStore store = store();
    String msisdn = "233200000" + (100 + (int) (Math.random() * 800));
    await(store.rememberLast(new LastSession(msisdn, "newer", "p", 1)));
    await(store.forgetLast(msisdn, "older"));
    assertThat(await(store.lastSession(msisdn)).map(LastSession::sessionId)).contains("newer");
    await(store.forgetLast(msisdn, "newer"));
    assertThat(await(store.lastSession(msisdn))).isEmpty();
  }

  @Test
  void theLastSessionOutlivesTheSessionButNotTheResumeWindow() throws InterruptedException {
    SessionStore store =
        store(SessionStoreSettings.DEFAULTS.withTtlSeconds(1).withResumeWindowSeconds(2));
    String id = id();
    String msisdn = "233540000" + (100 + (int) (Math.random() * 800));
    await(store.save(new SessionWrite(id, msisdn, 0, "x")));
    await(store.rememberLast(new LastSession(msisdn, id, "x", 5)));
    passTime(Duration.ofMillis(1200));
    assertThat(await(store.load(id))).isEmpty();
    assertThat(await(store.lastSession(msisdn))).map(LastSession::sessionId).contains(id);
    passTime(Duration.ofMillis(1000));
    assertThat(await(store.lastSession(msisdn))).isEqualTo(Optional.empty());
  }

  @Test
  void pingAnswers() {
    assertThat(await(store().ping())).isNull();
  }
}
