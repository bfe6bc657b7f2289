package org.assemblypay.payments.lifecycle;

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
 * ledger has no cross-assembly index, so this node remembers the references it started or polled
 * and otherwise asks each served assembly in turn (one indexed lookup each). After a restart the
 * first callback for an old payment pays for that scan once.
 */
final class PaymentLocator {

  private static final Logger LOG = LoggerFactory.getLogger(PaymentLocator.class);

  /** A payment and the ledger it lives in. */
  record Located(AssemblyLedger ledger, Payment payment) {}

  private final Ledger ledger;
  private final PaymentSettings settings;
  private final BoundedCache<UUID, String> assemblyByReference;
  private volatile List<String> allCodes = List.of();
  private volatile long allCodesReadAtNanos;

  PaymentLocator(Ledger ledger, PaymentSettings settings) {
    this.ledger = ledger;
    this.settings = settings;
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

  void remember(UUID reference, String assemblyCode) {
    assemblyByReference.put(reference, assemblyCode);
  }

  void forget(UUID reference) {
    assemblyByReference.remove(reference);
  }

  int remembered() {
    return assemblyByReference.size();
  }

  /** The payment with this reference in a served assembly, read now. */
  Optional<Located> find(UUID reference) {
    String known = assemblyByReference.get(reference);
    if (known != null) {
      try {
        AssemblyLedger assembly = ledger.assembly(known);
        Optional<Payment> payment = assembly.payment(reference);
        if (payment.isPresent()) {
          return Optional.of(new Located(assembly, payment.get()));
        }
      } catch (UnknownAssemblyException e) {
        assemblyByReference.remove(reference);
      }
    }
    for (String code : servedCodes()) {
      try {
        AssemblyLedger assembly = ledger.assembly(code);
        Optional<Payment> payment = assembly.payment(reference);
        if (payment.isPresent()) {
          remember(reference, code);
          return Optional.of(new Located(assembly, payment.get()));
        }
      } catch (RuntimeException e) {
        // An assembly being registered or removed right now; the others are still worth asking.
        LOG.atDebug().addKeyValue("assembly", code).setCause(e).log("payment lookup skipped");
      }
    }
    return Optional.empty();
  }
}
