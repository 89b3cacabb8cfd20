#include "engine/language_model.h"

namespace crampbot {

std::shared_ptr<const LanguageModel> LanguageModel::load(const std::filesystem::path& intents_dir,
                                                         const MatcherOptions& options) {
  auto model = std::make_shared<LanguageModel>();
  model->intents = IntentCatalog::load(intents_dir);
  model->normaliser = std::make_unique<TextNormaliser>(model->intents.lexicon);
  model->matcher = std::make_unique<IntentMatcher>(model->intents, *model->normaliser, options);
  return model;
}

}  // namespace crampbot
