// detlite/settings.h: every setting's table names each value once, names
// parse back to their value, unknown names are refused, and the choices
// string lists every name the CLI accepts.
#include "detlite/settings.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace detlite {
namespace {

template <typename E>
void CheckTable(size_t expected_values) {
  std::set<std::string> names;
  std::set<E> values;
  for (const SettingName<E>& n : SettingNames<E>()) {
    EXPECT_TRUE(names.insert(n.name).second) << "name listed twice: " << n.name;
    EXPECT_TRUE(values.insert(n.value).second) << "value listed twice: " << n.name;
    E parsed{};
    ASSERT_TRUE(ParseSetting(n.name, &parsed)) << n.name;
    EXPECT_EQ(parsed, n.value);
    EXPECT_STREQ(NameOf(n.value), n.name);
    if (*n.name) {
      EXPECT_NE(SettingChoices<E>().find(n.name), std::string::npos) << n.name;
    }
  }
  EXPECT_EQ(values.size(), expected_values);
  E unchanged = SettingNames<E>()[0].value;
  EXPECT_FALSE(ParseSetting("no-such-setting", &unchanged));
  EXPECT_EQ(unchanged, SettingNames<E>()[0].value);
}

TEST(SettingsTest, EveryTableNamesEachValueOnce) {
  CheckTable<QuantizeMode>(4);
  CheckTable<CalibrationMethod>(5);
  CheckTable<Equalization>(3);
  CheckTable<BiasCorrection>(2);
  CheckTable<WeightRounding>(2);
  CheckTable<IoType>(3);
  CheckTable<PruneBlock>(3);
  CheckTable<PrunePattern>(2);
  CheckTable<PreprocessPreset>(5);
  CheckTable<ResizeMethod>(2);
  CheckTable<ScoreConverter>(4);
  CheckTable<AnchorPreset>(6);
}

TEST(SettingsTest, NamesUsersType) {
  CalibrationMethod m{};
  ASSERT_TRUE(ParseSetting("moving-average", &m));
  EXPECT_EQ(m, CalibrationMethod::kMovingAverage);
  ResizeMethod r{};
  ASSERT_TRUE(ParseSetting("bilinear", &r));
  EXPECT_EQ(r, ResizeMethod::kTfBilinear);
  EXPECT_FALSE(ParseSetting("bicubic", &r));
  EXPECT_FALSE(ParseSetting("MSE", &m));  // names are exact
  EXPECT_EQ(SettingChoices<IoType>(), "float32, int8, uint8");
  // The one default, listed first in help.
  EXPECT_EQ(kDefaultCalibrationMethod, CalibrationMethod::kMse);
  EXPECT_EQ(SettingNames<CalibrationMethod>()[0].value, kDefaultCalibrationMethod);
}

}  // namespace
}  // namespace detlite
