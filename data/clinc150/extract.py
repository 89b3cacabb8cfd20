#!/usr/bin/env python3
"""Writes train_val.jsonl from CLINC150's data_full.json (train, val, oos_train and oos_val only; never the
test splits). Usage: extract.py PATH/TO/data_full.json > train_val.jsonl"""
import json
import sys

# CLINC intents where one of our conversational intents is also a fine answer.
ACCEPT = {'greeting': ['welcome'], 'goodbye': ['goodbye'], 'thank_you': ['thanks'],
          'what_can_i_ask_you': ['help', 'about'], 'who_made_you': ['about'],
          'what_is_your_name': ['about', 'welcome'], 'are_you_a_bot': ['about'], 'repeat': ['repeat'],
          'yes': ['welcome'], 'no': ['goodbye']}

data = json.load(open(sys.argv[1]))
for split in ['train', 'val', 'oos_train', 'oos_val']:
    for text, intent in data[split]:
        line = {'text': text, 'intent': 'fallback', 'kind': 'off_topic', 'clinc_intent': intent, 'split': split}
        if intent in ACCEPT:
            line['accept'] = ['fallback'] + ACCEPT[intent]
        print(json.dumps(line))
