package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * Flink's type information for {@link BookEvent}: always {@link BookEventSerializer} (found through
 * the {@code @TypeInfo} annotation on the class, so no operator needs a {@code returns(...)}).
 */
@PublicEvolving
public final class BookEventTypeInfo extends TypeInformation<BookEvent> {

    private static final long serialVersionUID = 1L;

    public static final BookEventTypeInfo INSTANCE = new BookEventTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<BookEvent> getTypeClass() {
        return BookEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<BookEvent> createSerializer(SerializerConfig config) {
        return BookEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "BookEvent";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof BookEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return BookEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof BookEventTypeInfo;
    }

    /** Resolves the {@code @TypeInfo} annotation of {@link BookEvent}. */
    public static final class Factory extends TypeInfoFactory<BookEvent> {
        @Override
        public TypeInformation<BookEvent> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
