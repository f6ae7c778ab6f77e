// The on-screen keyboard, embedded in the kiosk window through a QQuickWidget.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Item {
    id: root
    property alias active: panel.active
    property real panelHeight: panel.implicitHeight
    property real panelWidth: 0  // set from Python so the keyboard fits under half the screen
    // the kiosk's language picks the keyboard's (zh_CN: pinyin); the globe key still switches
    property string wantedLocale: "en_US"
    property string currentLocale: InputContext.locale
    implicitHeight: panel.implicitHeight

    InputPanel {
        id: panel
        width: root.panelWidth > 0 ? root.panelWidth : parent.width
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
    }

    onWantedLocaleChanged: VirtualKeyboardSettings.locale = wantedLocale

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["en_US", "zh_CN"]
        VirtualKeyboardSettings.locale = root.wantedLocale
    }
}
