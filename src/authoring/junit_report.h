#pragma once

#include <string>
#include <vector>

#include "authoring/conversation_runner.h"

namespace crampbot::authoring {

// The results as JUnit XML, which CI systems (GitLab, Jenkins, GitHub's test reporters) read: one
// <testsuite> per file, one <testcase> per conversation with its file and line, a <failure> holding the same
// diff format_result prints, <skipped> for a conversation that ran on none of the channels asked for.
std::string junit_xml(const std::vector<ConversationResult>& results);

}  // namespace crampbot::authoring
