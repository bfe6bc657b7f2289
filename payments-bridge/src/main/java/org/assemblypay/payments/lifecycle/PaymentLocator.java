package org.assemblypay.payments.lifecycle;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.assemblypay.ledger.Assembly;
import org.assemblypay.ledger.AssemblyLedger;
import org.assemblypay.ledger.Ledger;
import org.assemblypay.ledger.Payment;
import org.assemblypay.ledger.UnknownAssemblyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the assembly a payment reference belongs to. A callback names only the reference; the
 * control schema's reference index (written before each intent) names the one assembly that holds
 * it, wherever its data lives, so no assembly is asked in vain and an unknown reference costs one
 * indexed read. References this node started or polled are remembered in a bounded cache.
 */
final class PaymentLocator {

  private static final Logger LOG = LoggerFactory.getLogger(PaymentLocator.class);

  /** A payment and the ledger it lives in. */
  record Located(AssemblyLedger ledger, Payment payment) {}

  private final Ledger ledger;
  private final PaymentSettings settings;
  private final PaymentMetrics metrics;
  private final BoundedCache<UUID, String> assemblyByReference;
  private volatile List<String> allCodes = List.of();
  private volatile long allCodesReadAtNanos;

  PaymentLocator(Ledger ledger, PaymentSettings settings, PaymentMetrics metrics) {
    this.ledger = ledger;
    this.settings = settings;
    this.metrics = metrics;
    this.assemblyByReference = new BoundedCache<>(settings.maxRememberedReferences());
  }

  /** The assemblies this node serves, by code. */
  List<String> servedCodes() {
    if (!settings.servedAssemblies().isEmpty()) {
      return List.copyOf(settings.servedAssemblies());
    }
    long now = System.nanoTime();
    if (allCodesReadAtNanos == 0
        || now - allCodesReadAtNanos > settings.assemblyListRefreshMillis() * 1_000_000) {
      allCodes = ledger.assemblies().list().stream().map(Assembly::code).toList();
      allCodesReadAtNanos = now;
    }
    return allCodes;
  }

  boolean serves(String assemblyCode) {
    return settings.servedAssemblies().isEmpty()
        || settings.servedAssemblies().contains(PaymentSettings.upper(assemblyCode));
  }

  /**
   * Records in the index that the reference belongs to the assembly, before its intent is written.
   *
   * @return true when this call wrote the index row: this copy of the confirmation owns the send
   * @throws org.assemblypay.ledger.IdempotencyConflictException when another assembly holds it
   */
  boolean index(UUID reference, String assemblyCode) {
    boolean first = ledger.paymentReferences().record(reference, assemblyCode);
    remember(reference, assemblyCode);
    return first;
  }

  /**
   * Indexes claimed payments this node does not yet know as indexed (payments written before the
   * index existed, or by another writer): one statement for the lot, existing rows left alone.
   */
  void indexClaimed(String assemblyCode, Collection<Payment> claimed) {
    List<UUID> unknown =
        claimed.stream()
            .map(Payment::reference)
            .filter(reference -> assemblyByReference.get(reference) == null)
            .toList();
    if (unknown.isEmpty()) {
      return;
    }
    try {
      int added = ledger.paymentReferences().recordAll(unknown, assemblyCode);
      if (added > 0) {
        LOG.atInfo()
            .addKeyValue("assembly", assemblyCode)
            .addKeyValue("count", added)
            .log("indexed payments that had no reference index row");
      }
      unknown.forEach(reference -> remember(reference, assemblyCode));
    } catch (RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("assembly", assemblyCode)
          .setCause(e)
          .log("could not index claimed payments; the poller still settles them");
    }
  }

  void remember(UUID reference, String assemblyCode) {
    assemblyByReference.put(reference, assemblyCode);
  }

  void forget(UUID reference) {
    assemblyByReference.remove(reference);
  }

  int remembered() {
    return assemblyByReference.size();
  }

  /**
   * The payment with this reference, read now: from the assembly the cache or the index names, if
   * this node serves it. Never asks an assembly the index does not name.
   */
  Optional<Located> find(UUID reference) {
    String code = assemblyByReference.get(reference);
    String source = "cache";
    if (code == null) {
      Optional<String> indexed = ledger.paymentReferences().assemblyOf(reference);
      if (indexed.isEmpty()) {
        metrics.lookup("not_indexed");
        return Optional.empty();
      }
      code = indexed.get();
      source = "index";
    }
    if (!serves(code)) {
      metrics.lookup("not_served");
      LOG.atDebug()
          .addKeyValue("assembly", code)
          .addKeyValue("reference", reference)
          .log("reference belongs to an assembly this node does not serve");
      return Optional.empty();
    }
    try {
      AssemblyLedger assembly = ledger.assembly(code);
      metrics.assemblyLookup(assembly.assembly().code());
      Optional<Payment> payment = assembly.payment(reference);
      if (payment.isEmpty()) {
        // Indexed but not (yet) visible: the intent's transaction has not committed.
        metrics.lookup("not_visible");
        return Optional.empty();
      }
      metrics.lookup(source);
      remember(reference, code);
      return Optional.of(new Located(assembly, payment.get()));
    } catch (UnknownAssemblyException e) {
      assemblyByReference.remove(reference);
      metrics.lookup("unknown_assembly");
      return Optional.empty();
    }
  }
}
