package org.assemblypay.gateway.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.Optional;
import net.logstash.logback.decorate.JsonFactoryDecorator;

/**
 * Lets the JSON log encoder write any record, {@code Optional} or {@code java.time} value passed as
 * a structured argument as its {@code toString()}. Without it Jackson cannot serialise an {@code
 * Optional} or an {@code Instant} (no modules are registered), the encoder fails and the whole line
 * is silently lost. A record's own {@code toString} is what its author chose to show (some mask
 * numbers), and the phone-number masker still sees the resulting string.
 */
public final class ReadableLogValues implements JsonFactoryDecorator {

  @Override
  public JsonFactory decorate(JsonFactory factory) {
    SimpleModule module = new SimpleModule("readable-log-values");
    module.addSerializer(Record.class, ToStringSerializer.instance);
    module.addSerializer(Optional.class, ToStringSerializer.instance);
    module.addSerializer(Temporal.class, ToStringSerializer.instance);
    module.addSerializer(TemporalAmount.class, ToStringSerializer.instance);
    ObjectMapper mapper =
        factory.getCodec() instanceof ObjectMapper existing ? existing : new ObjectMapper(factory);
    mapper.registerModule(module);
    return factory;
  }
}
