package io.natsharness.services.content.kb;

import io.natsharness.proto.content.kb.v1.DeleteFactRequest;
import io.natsharness.proto.content.kb.v1.DeleteFactResponse;
import io.natsharness.proto.content.kb.v1.Fact;
import io.natsharness.proto.content.kb.v1.FactDeleted;
import io.natsharness.proto.content.kb.v1.FactPut;
import io.natsharness.proto.content.kb.v1.GetFactRequest;
import io.natsharness.proto.content.kb.v1.PutFactRequest;
import io.natsharness.proto.content.kb.v1.SearchRequest;
import io.natsharness.proto.content.kb.v1.SearchResponse;
import io.natsharness.proto.common.v1.PageResponse;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.Pages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * knowledge_base: lore facts with tags, searched by term matches through an index kept in Redis
 * and changed in the same atomic step as the facts ({@link FactStore}).
 *
 * <pre>{@code
 * // svc.content.kb.v1.put_fact {fact_id: "iron-keep.founding", title: "The Iron Keep", text: "...",
 * //                              tags: ["Lore", "castle"]}   -> tags stored as [castle, lore]
 * // svc.content.kb.v1.search {query: "iron keep", tags: ["lore"]} -> hits ranked by score
 * }</pre>
 */
public final class KnowledgeBaseService implements NatsService, ServiceLifecycle {

  static final Pattern FACT_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");
  static final Pattern TAG = Pattern.compile("[a-z0-9_-]{1,32}");
  private static final int MAX_TAGS = 20;
  private static final int MAX_QUERY = 500;
  private static final int MAX_QUERY_TERMS = 32;

  private final FactStore store;
  private final EventOutbox events;

  public KnowledgeBaseService(ServiceContext ctx) {
    this.store = new FactStore(ctx);
    this.events = new EventOutbox(ctx, FactStore.SERVICE);
  }

  @Override
  public String name() {
    return FactStore.SERVICE;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.unary("put_fact", this::putFact)
        .unary("get_fact", this::getFact)
        .unary("search", this::search)
        .unary("delete_fact", this::deleteFact);
  }

  @Override
  public void start() {
    events.startSweeping();
  }

  @Override
  public void close() {
    events.close();
  }

  Fact putFact(PutFactRequest request, CallContext call) {
    String factId = factId(request.getFactId());
    Validation.nonEmpty(request.getTitle(), 200, "title");
    Validation.nonEmpty(request.getText(), 10_000, "text");
    Validation.require(request.getTagsCount() <= MAX_TAGS, "tags", "must have at most " + MAX_TAGS + " entries");
    Fact fact = Fact.newBuilder().setFactId(factId).setTitle(request.getTitle()).setText(request.getText())
        .addAllTags(tags(request.getTagsList())).build();
    FactStore.Stored stored = store.put(fact, request.getExpectedVersion());
    Fact result = stored.fact();
    events.publish("fact_put", FactPut.newBuilder().setFactId(factId).setVersion(result.getMeta().getVersion())
        .addAllTags(result.getTagsList()).build(), "fact:" + factId + ":" + stored.revision());
    return result;
  }

  Fact getFact(GetFactRequest request, CallContext call) {
    String factId = factId(request.getFactId());
    return store.find(factId).orElseThrow(() -> RpcException.notFound("fact " + factId + " does not exist"));
  }

  SearchResponse search(SearchRequest request, CallContext call) {
    Validation.maxLength(request.getQuery(), MAX_QUERY, "query");
    List<String> terms = Terms.distinct(request.getQuery());
    Validation.require(terms.size() <= MAX_QUERY_TERMS, "query",
        "must have at most " + MAX_QUERY_TERMS + " distinct terms, has " + terms.size());
    List<String> tags = tags(request.getTagsList());
    Validation.require(!terms.isEmpty() || !tags.isEmpty(), "query", "must not be empty when no tags are given");
    int size = Pages.size(request.getPage(), 20, 100);
    String binding = Pages.binding(String.join(" ", terms), String.join(" ", tags));
    long offset = Pages.position(request.getPage(), binding, "the same query and tags");
    FactStore.Page page = store.search(terms, tags, offset, size);
    long next = offset + page.hits().size();
    return SearchResponse.newBuilder().addAllHits(page.hits()).setTotalHits(page.total())
        .setPage(PageResponse.newBuilder().setNextPageToken(next < page.total() ? Pages.token(next, binding) : ""))
        .build();
  }

  DeleteFactResponse deleteFact(DeleteFactRequest request, CallContext call) {
    String factId = factId(request.getFactId());
    FactStore.Removed removed = store.delete(factId, request.getExpectedVersion());
    events.publish("fact_deleted", FactDeleted.newBuilder().setFactId(factId).setVersion(removed.version()).build(),
        "fact:" + factId + ":" + removed.revision());
    return DeleteFactResponse.newBuilder().setFactId(factId).setVersion(removed.version()).build();
  }

  private static String factId(String factId) {
    Validation.nonEmpty(factId, "fact_id");
    return Validation.matches(factId, FACT_ID, "fact_id");
  }

  /** Tags folded to lower case, checked, deduplicated and sorted. */
  private static List<String> tags(List<String> raw) {
    TreeSet<String> tags = new TreeSet<>();
    for (int i = 0; i < raw.size(); i++) {
      String tag = raw.get(i).toLowerCase(Locale.ROOT);
      Validation.matches(tag, TAG, "tags[" + i + "]");
      tags.add(tag);
    }
    return new ArrayList<>(tags);
  }
}
