package ai.dedaluslabs.client.runner;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import ai.dedaluslabs.client.chat.Tool;
import ai.dedaluslabs.client.json.JsonSchemas;
import ai.dedaluslabs.client.json.WireJson;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A tool that runs in this JVM when the model asks for it. Its parameters are a record (or any
 * class Jackson reads); the JSON schema the model sees is generated from it. The model's arguments
 * are read into that type before the call: arguments that do not fit go back to the model as an
 * error, and the function is not called.
 *
 * <pre>
 * record City(&#64;JsonPropertyDescription("The city") String city) {}
 * LocalTool weather = LocalTool.of("get_weather", "Get the current weather in a city", City.class,
 *         (where) -&gt; weatherService.now(where.city()));
 * </pre>
 *
 * @since 0.1.0
 */
public final class LocalTool {

	private final String name;

	private final String description;

	private final Map<String, Object> parametersSchema;

	private final Function<JsonNode, Mono<?>> invoker;

	private LocalTool(String name, String description, Map<String, Object> parametersSchema,
			Function<JsonNode, Mono<?>> invoker) {
		if (name.isBlank() || !name.matches("[A-Za-z0-9_-]{1,64}")) {
			throw new IllegalArgumentException("A tool name must be 1 to 64 letters, digits, '_' or '-', but is '"
					+ name + "'");
		}
		this.name = name;
		this.description = Objects.requireNonNull(description, "description");
		this.parametersSchema = Map.copyOf(parametersSchema);
		this.invoker = invoker;
	}

	/**
	 * A blocking tool: it runs on {@link Schedulers#boundedElastic()}, never on an event loop, and
	 * cancelling the run interrupts it.
	 * @param <P> the parameters type
	 * @param name the name the model calls it by
	 * @param description what it does, for the model
	 * @param parameters the parameters type, a record
	 * @param function the tool; its result goes back to the model as JSON (a {@code String} as is)
	 * @return the tool
	 */
	public static <P> LocalTool of(String name, String description, Class<P> parameters,
			Function<P, ? extends @Nullable Object> function) {
		Objects.requireNonNull(function, "function");
		Map<String, Object> schema = JsonSchemas.forTool(parameters);
		return new LocalTool(name, description, schema, (arguments) -> {
			P value = read(schema, arguments, parameters);
			return Mono.fromCallable(() -> function.apply(value)).subscribeOn(Schedulers.boundedElastic());
		});
	}

	/**
	 * An asynchronous tool: the {@link Mono} it returns is subscribed as is, and cancelled when the
	 * run is.
	 * @param <P> the parameters type
	 * @param name the name the model calls it by
	 * @param description what it does, for the model
	 * @param parameters the parameters type, a record
	 * @param function the tool; its result goes back to the model as JSON (a {@code String} as is)
	 * @return the tool
	 */
	public static <P> LocalTool ofAsync(String name, String description, Class<P> parameters,
			Function<P, ? extends Mono<?>> function) {
		Objects.requireNonNull(function, "function");
		Map<String, Object> schema = JsonSchemas.forTool(parameters);
		return new LocalTool(name, description, schema,
				(arguments) -> Mono.defer(() -> function.apply(read(schema, arguments, parameters))));
	}

	/**
	 * The tools of an object's {@link DedalusTool} methods.
	 * @param target the object
	 * @return its tools, in method name order
	 * @throws IllegalArgumentException when an annotated method takes more than one parameter
	 */
	public static List<LocalTool> fromMethods(Object target) {
		Objects.requireNonNull(target, "target");
		Class<?> type = target.getClass();
		// A generated subclass (a CGLIB proxy) does not carry the methods' annotations: read the
		// class it extends, and invoke through the proxy.
		while (type.getName().contains("$$") && type.getSuperclass() != null) {
			type = type.getSuperclass();
		}
		List<Method> methods = new ArrayList<>();
		for (Method method : type.getMethods()) {
			if (method.isAnnotationPresent(DedalusTool.class)) {
				methods.add(method);
			}
		}
		methods.sort(Comparator.comparing(Method::getName));
		List<LocalTool> tools = new ArrayList<>(methods.size());
		for (Method method : methods) {
			tools.add(fromMethod(target, method));
		}
		return tools;
	}

	private static LocalTool fromMethod(Object target, Method method) {
		DedalusTool annotation = method.getAnnotation(DedalusTool.class);
		String name = annotation.name().isEmpty() ? method.getName() : annotation.name();
		if (method.getParameterCount() > 1) {
			throw new IllegalArgumentException("@DedalusTool method " + method.getDeclaringClass().getSimpleName() + "."
					+ method.getName() + " takes " + method.getParameterCount()
					+ " parameters; it must take one record that describes its arguments, or none");
		}
		boolean async = Mono.class.isAssignableFrom(method.getReturnType());
		// A public method of a class that is not public (a nested or package-private bean).
		method.trySetAccessible();
		if (method.getParameterCount() == 0) {
			Map<String, Object> schema = Map.of("type", "object", "properties", Map.of(), "additionalProperties", false);
			return new LocalTool(name, annotation.description(), schema, (arguments) -> {
				String mismatch = JsonSchemas.mismatch(schema, arguments);
				if (mismatch != null) {
					throw new InvalidArgumentsException(mismatch);
				}
				return call(target, method, async);
			});
		}
		Class<?> parameters = method.getParameterTypes()[0];
		Map<String, Object> schema = JsonSchemas.forTool(parameters);
		return new LocalTool(name, annotation.description(), schema,
				(arguments) -> call(target, method, async, read(schema, arguments, parameters)));
	}

	private static Mono<?> call(Object target, Method method, boolean async, Object... arguments) {
		Mono<?> invocation = Mono.fromCallable(() -> {
			try {
				return method.invoke(target, arguments);
			}
			catch (InvocationTargetException ex) {
				throw (ex.getCause() instanceof Exception cause) ? cause : ex;
			}
		});
		if (async) {
			return invocation.flatMap((result) -> (Mono<?>) result);
		}
		return invocation.subscribeOn(Schedulers.boundedElastic());
	}

	private static <P> P read(Map<String, Object> schema, JsonNode arguments, Class<P> parameters) {
		String mismatch = JsonSchemas.mismatch(schema, arguments);
		if (mismatch != null) {
			throw new InvalidArgumentsException(mismatch);
		}
		try {
			P value = WireJson.defaultMapper().treeToValue(arguments, parameters);
			if (value == null) {
				throw new InvalidArgumentsException("the arguments are empty");
			}
			return value;
		}
		catch (JacksonException ex) {
			throw new InvalidArgumentsException(ex.getOriginalMessage());
		}
	}

	/**
	 * The name the model calls it by.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * What it does, for the model.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * The JSON schema of its parameters, as the model sees it.
	 * @return the schema
	 */
	public Map<String, Object> parametersSchema() {
		return this.parametersSchema;
	}

	Tool definition() {
		return Tool.function(this.name, this.description, this.parametersSchema);
	}

	/** Run with the model's arguments; fails with {@link InvalidArgumentsException} when they do not fit. */
	Mono<?> invoke(JsonNode arguments) {
		return Mono.defer(() -> this.invoker.apply(arguments));
	}

	/** The model's arguments do not fit the tool's parameters. */
	static final class InvalidArgumentsException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		InvalidArgumentsException(String message) {
			super(message, null, false, false);
		}

	}

}
