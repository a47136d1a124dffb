package ai.dedaluslabs.client.internal;

import java.io.ByteArrayOutputStream;
import java.util.Map;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ModelSpec;
import ai.dedaluslabs.client.chat.StreamOptions;
import ai.dedaluslabs.client.error.DedalusException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a request as the API's JSON: the modelled fields, the client's default model when the
 * request names none, the stream flags, and {@code extraBody} entries last so they win.
 */
public final class RequestEncoder {

	/** Room for a short conversation; a longer one grows the buffer by doubling. */
	private static final int INITIAL_SIZE = 1024;

	private final JsonMapper mapper;

	private final String defaultModel;

	private final boolean includeUsage;

	private final ModelSpec defaultModelSpec;

	private final RequestWriting writing;

	/**
	 * Create an encoder.
	 * @param mapper the wire mapper
	 * @param defaultModel the model for requests that name none
	 * @param includeUsage whether streams ask for the final usage chunk
	 */
	public RequestEncoder(JsonMapper mapper, String defaultModel, boolean includeUsage) {
		this.mapper = mapper;
		this.defaultModel = defaultModel;
		this.includeUsage = includeUsage;
		this.defaultModelSpec = ModelSpec.of(defaultModel);
		this.writing = new RequestWriting(mapper);
	}

	/**
	 * Encode a request.
	 * @param request the request
	 * @param stream whether it is sent as a stream
	 * @return the JSON tree, for callers that adjust it further
	 */
	public ObjectNode toTree(ChatCompletionRequest request, boolean stream) {
		ObjectNode tree;
		try {
			tree = this.mapper.valueToTree(request);
		}
		catch (JacksonException ex) {
			throw notWritable(ex);
		}
		if (!tree.has("model")) {
			tree.put("model", this.defaultModel);
		}
		if (stream) {
			tree.put("stream", true);
			if (this.includeUsage && !tree.has("stream_options")) {
				tree.putObject("stream_options").put("include_usage", true);
			}
		}
		else {
			tree.remove("stream");
			tree.remove("stream_options");
		}
		for (Map.Entry<String, @Nullable Object> extra : request.extraBody().entrySet()) {
			tree.set(extra.getKey(), this.mapper.valueToTree(extra.getValue()));
		}
		return tree;
	}

	/**
	 * Encode a request to bytes.
	 * @param request the request
	 * @param stream whether it is sent as a stream
	 * @return the JSON bytes
	 */
	public byte[] encode(ChatCompletionRequest request, boolean stream) {
		if (request.extraBody().isEmpty() && (stream || (request.stream() == null && request.streamOptions() == null))) {
			// The common request is written as it is, with the client's settings filled in: the tree
			// costs as much again as the writing (2 % of a front-end endpoint's CPU, once per stream).
			// Written by RequestWriting rather than data binding, which costs 1.6x as much compiled and
			// far more while a server's first thousands of streams run with Jackson's serializers not
			// compiled; the client's settings are handed to it rather than set on a copy of the request.
			ModelSpec model = (request.model() != null) ? request.model() : this.defaultModelSpec;
			StreamOptions options = (stream && this.includeUsage && request.streamOptions() == null)
					? StreamOptions.withUsage() : request.streamOptions();
			ByteArrayOutputStream bytes = new ByteArrayOutputStream(INITIAL_SIZE);
			try (JsonGenerator generator = this.mapper.createGenerator(bytes)) {
				this.writing.write(generator, request, model, stream ? Boolean.TRUE : null, options);
			}
			catch (JacksonException ex) {
				throw notWritable(ex);
			}
			return bytes.toByteArray();
		}
		return this.mapper.writeValueAsBytes(toTree(request, stream));
	}

	private static DedalusException notWritable(JacksonException ex) {
		return new DedalusException("The request could not be written as JSON: " + ex.getOriginalMessage()
				+ "; values in extraBody and Object-typed fields must be plain data (maps, lists, records)", ex);
	}

}
